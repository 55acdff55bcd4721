using OpenHip.Modules.Mpi.Domain.Comparison;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class PairComparerTests
{
    private static byte[] Compare(PersonRecord a, PersonRecord b)
    {
        var levels = new byte[FieldLevels.FieldCount];
        PairComparer.Compare(a, b, levels);
        return levels;
    }

    [Fact]
    public void Compare_SameRecord_EveryFieldExactOrMissing()
    {
        byte[] levels = Compare(Records.Zhang("a"), Records.Zhang("b"));

        Assert.Equal(FieldLevels.NameExact, levels[(int)ComparedField.Family]);
        Assert.Equal((byte)DateAgreement.Exact, levels[(int)ComparedField.BirthDate]);
        Assert.Equal(FieldLevels.Same, levels[(int)ComparedField.Sex]);
        Assert.Equal(1, levels[(int)ComparedField.DivisionCode]);
        Assert.Equal(0, levels[(int)ComparedField.NationalId]); // missing on both: no evidence
        Assert.Equal(0, levels[(int)ComparedField.PostalCode]);
    }

    [Fact]
    public void Compare_HomophoneHanGivenName_IsHomophoneLevel()
    {
        PersonRecord other = Records.Zhang("b") with { HanGiven = "玮" }; // same pinyin wei, another character

        Assert.Equal(FieldLevels.NameHomophone, Compare(Records.Zhang("a"), other)[(int)ComparedField.Given]);
    }

    [Fact]
    public void Compare_HanAgainstPinyinOnly_ExactOnThePinyin()
    {
        PersonRecord pinyinOnly = Records.Zhang("b") with { HanFamily = "", HanGiven = "" };

        Assert.Equal(FieldLevels.NameExact, Compare(Records.Zhang("a"), pinyinOnly)[(int)ComparedField.Family]);
    }

    [Fact]
    public void Compare_FamilyAndGivenExchanged_IsSwappedLevel()
    {
        PersonRecord a = Records.Zhang("a") with { HanFamily = "", HanGiven = "" };
        PersonRecord b = a with { Family = "wei", Given = "zhang" };

        byte[] levels = Compare(a, b);

        Assert.Equal(FieldLevels.NameSwapped, levels[(int)ComparedField.Family]);
        Assert.Equal(FieldLevels.NameSwapped, levels[(int)ComparedField.Given]);
    }

    [Fact]
    public void Compare_AddressLinesInTheOtherOrder_IsSwappedLevel()
    {
        PersonRecord a = new() { Id = "a", AddressLine = "degraves crescent", AddressLine2 = "wonga square" };
        PersonRecord b = new() { Id = "b", AddressLine = "wonga square", AddressLine2 = "degraves cirescent" };

        byte[] levels = Compare(a, b);

        Assert.Equal(FieldLevels.TextSwapped, levels[(int)ComparedField.AddressLine]);
        Assert.Equal(FieldLevels.TextSwapped, levels[(int)ComparedField.AddressLine2]);
    }

    [Fact]
    public void Compare_NationalIds_ValidDifferentIsItsOwnLevel()
    {
        byte[] bothValid = Compare(Records.Zhang("a", "11010519491231002X", true), Records.Zhang("b", "330106198703120012", true));
        byte[] oneFlagged = Compare(Records.Zhang("a", "11010519491231002X", true), Records.Zhang("b", "330106198703120012", false));
        byte[] typo = Compare(Records.Zhang("a", "11010519491231002X", true), Records.Zhang("b", "11010519491321002X", false));

        Assert.Equal(FieldLevels.IdDifferentBothValid, bothValid[(int)ComparedField.NationalId]);
        Assert.Equal(FieldLevels.CodeDifferent, oneFlagged[(int)ComparedField.NationalId]);
        Assert.Equal(FieldLevels.CodeOneError, typo[(int)ComparedField.NationalId]);
    }

    [Fact]
    public void Compare_OtherIds_OnlyWithinTheSameSystem()
    {
        PersonRecord a = Records.Zhang("a") with { OtherIds = ["http://openhip.org/sid/mrn/org-1|77", "http://openhip.org/sid/passport/CHN|E1234"] };
        PersonRecord sameMrn = Records.Zhang("b") with { OtherIds = ["http://openhip.org/sid/mrn/org-1|77"] };
        PersonRecord otherHospital = Records.Zhang("c") with { OtherIds = ["http://openhip.org/sid/mrn/org-2|77"] };
        PersonRecord otherPassport = Records.Zhang("d") with { OtherIds = ["http://openhip.org/sid/passport/CHN|G9999"] };

        Assert.Equal(FieldLevels.CodeExact, Compare(a, sameMrn)[(int)ComparedField.OtherId]);
        Assert.Equal(0, Compare(a, otherHospital)[(int)ComparedField.OtherId]);
        Assert.Equal(FieldLevels.CodeDifferent, Compare(a, otherPassport)[(int)ComparedField.OtherId]);
    }

    [Fact]
    public void Compare_HotLoop_AllocatesNothing()
    {
        PersonRecord a = Records.Zhang("a") with { HanFamily = "", HanGiven = "", Given = "weiming" };
        PersonRecord b = Records.Zhang("b") with { HanFamily = "", HanGiven = "", Given = "weimin", AddressLine = "wensan road", BirthDate = "19870321" };
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        PairComparer.Compare(a, b, levels); // JIT first

        // A rerun of tiered compilation (a method promoted mid-loop) can put a runtime allocation on this thread once; an
        // allocation of the comparison itself shows in every round.
        var rounds = new List<long>();
        for (int round = 0; round < 5 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                PairComparer.Compare(a, b, levels);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(rounds[^1] == 0, $"bytes allocated per round of 1,000 comparisons: {string.Join(", ", rounds)}");
    }

    [Fact]
    public void Pack_RoundTrips()
    {
        byte[] levels = Compare(Records.Zhang("a"), Records.Zhang("b") with { BirthDate = "19871203" });
        var unpacked = new byte[FieldLevels.FieldCount];

        PairScorer.Unpack(PairComparer.Pack(levels), unpacked);

        Assert.Equal(levels, unpacked);
    }
}
