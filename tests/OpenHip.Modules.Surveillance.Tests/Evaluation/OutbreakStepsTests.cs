using OpenHip.Modules.Surveillance.Domain.Evaluation;

namespace OpenHip.Modules.Surveillance.Tests.Evaluation;

public sealed class OutbreakStepsTests
{
    private static readonly DateOnly Monday = new(2026, 4, 20);

    [Fact]
    public void Label_Weeks_AnyDayOfTheWeekInThePeriodLabelsIt()
    {
        // Weeks from 04-20, 04-27, 05-04, 05-11; the outbreak 04-26 (a Sunday) .. 05-04 (a Monday) touches the first
        // three weeks by one day, one week and one day.
        DateOnly[] weeks = [Monday, Monday.AddDays(7), Monday.AddDays(14), Monday.AddDays(21)];

        bool[] inside = OutbreakSteps.Label(weeks, 7, [(new DateOnly(2026, 4, 26), new DateOnly(2026, 5, 4))]);

        Assert.Equal([true, true, true, false], inside);
    }

    [Fact]
    public void Label_Days_InclusivePeriodsAndSeveralOutbreaks()
    {
        DateOnly[] days = [.. Enumerable.Range(0, 6).Select(Monday.AddDays)];

        bool[] inside = OutbreakSteps.Label(days, 1, [(Monday.AddDays(1), Monday.AddDays(2)), (Monday.AddDays(5), Monday.AddDays(9))]);

        Assert.Equal([false, true, true, false, false, true], inside);
    }

    [Fact]
    public void Label_NoPeriods_NothingInside()
    {
        Assert.Equal([false, false], OutbreakSteps.Label([Monday, Monday.AddDays(1)], 1, []));
    }
}
