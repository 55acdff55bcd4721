using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// date: date, dateTime and instant values (and strings that parse as one) as the instant range their precision covers;
/// a Period from its start's low to its end's high, open where an end is missing; a Timing's events and bounds.
/// </summary>
internal sealed class DateValues(TimeZoneInfo zone)
{
    public void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            case Period period:
                AddPeriod(parameter, period, into);
                break;
            case Timing timing:
                foreach (FhirDateTime occurrence in timing.EventElement)
                {
                    Add(parameter, occurrence, into);
                }

                if (timing.Repeat?.Bounds is Period bounds)
                {
                    AddPeriod(parameter, bounds, into);
                }

                break;
            case PrimitiveType primitive when PrimitiveText.Of(primitive) is { Length: > 0 } text
                && DateRange.TryParse(text, zone, out DateTimeOffset low, out DateTimeOffset high):
                into.Add(new DateIndexEntry(parameter, low, high));
                break;
        }
    }

    private void AddPeriod(string parameter, Period period, ICollection<IndexEntry> into)
    {
        DateTimeOffset low = DateTimeOffset.MinValue;
        DateTimeOffset high = DateTimeOffset.MaxValue;
        if ((period.Start is null && period.End is null)
            || (period.Start is not null && !DateRange.TryParse(period.Start, zone, out low, out _))
            || (period.End is not null && !DateRange.TryParse(period.End, zone, out _, out high)))
        {
            return;
        }

        into.Add(new DateIndexEntry(parameter, low, high));
    }
}
