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
            case PrimitiveType primitive:
                AddText(parameter, PrimitiveText.Of(primitive), into);
                break;
        }
    }

    private void AddPeriod(string parameter, Period period, ICollection<IndexEntry> into) => AddPeriod(parameter, period.Start, period.End, into);

    /// <summary>A date, dateTime or instant written as text.</summary>
    public void AddText(string parameter, string? text, ICollection<IndexEntry> into)
    {
        if (text is { Length: > 0 } && DateRange.TryParse(text, zone, out DateTimeOffset low, out DateTimeOffset high))
        {
            into.Add(new DateIndexEntry(parameter, low, high));
        }
    }

    /// <summary>A Period from its start and end (the POCO's or the JSON's).</summary>
    public void AddPeriod(string parameter, string? start, string? end, ICollection<IndexEntry> into)
    {
        DateTimeOffset low = DateTimeOffset.MinValue;
        DateTimeOffset high = DateTimeOffset.MaxValue;
        if ((start is null && end is null)
            || (start is not null && !DateRange.TryParse(start, zone, out low, out _))
            || (end is not null && !DateRange.TryParse(end, zone, out _, out high)))
        {
            return;
        }

        into.Add(new DateIndexEntry(parameter, low, high));
    }
}
