using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>The two forms of a served series: a Parameters resource, and CSV in the offline command's style.</summary>
internal static class SeriesOutput
{
    public static Parameters ToParameters(SeriesQuery query, IReadOnlyList<SeriesPoint> points)
    {
        var result = new Parameters();
        result.Add("disease", new Code(query.Disease));
        result.Add("area", new Code(query.Area ?? "*"));
        result.Add("granularity", new Code(query.Granularity == SeriesGranularity.Day ? "day" : "isoweek"));
        result.Add("start", new Date(Iso(query.Start)));
        result.Add("end", new Date(Iso(query.End)));
        if (query.AgeGroup is not null)
        {
            result.Add("ageGroup", new Code(query.AgeGroup));
        }

        if (query.Sex is not null)
        {
            result.Add("sex", new Code(query.Sex));
        }

        if (query.Stream != Domain.Counting.CountStreams.Cases)
        {
            result.Add("stream", new Code(query.Stream));
        }

        if (query.Algorithm is not null)
        {
            result.Add("algorithm", new Code(query.Algorithm));
        }

        result.Add("total", new Integer(points.Sum(p => p.Observed)));
        foreach (SeriesPoint point in points)
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create<string, Base>("period", new Date(Iso(point.Period))),
                Tuple.Create<string, Base>("label", new FhirString(point.Label)),
                Tuple.Create<string, Base>("observed", new Integer(point.Observed)),
            };
            if (!double.IsNaN(point.UpperBound))
            {
                parts.Add(Tuple.Create<string, Base>("upperBound", new FhirDecimal((decimal)Math.Round(point.UpperBound, 6))));
            }

            if (point.Alarm is { } alarm)
            {
                parts.Add(Tuple.Create<string, Base>("alarm", new FhirBoolean(alarm)));
            }

            result.Add("point", parts);
        }

        return result;
    }

    /// <summary><c>t,period,label,observed,upperbound,alarm</c>; NA where there is no bound or alarm (as the offline command writes).</summary>
    public static byte[] ToCsv(IReadOnlyList<SeriesPoint> points)
    {
        var text = new StringBuilder("t,period,label,observed,upperbound,alarm\n");
        for (int i = 0; i < points.Count; i++)
        {
            SeriesPoint p = points[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1},{Iso(p.Period)},{p.Label},{p.Observed},")
                .Append(double.IsNaN(p.UpperBound) ? "NA" : p.UpperBound.ToString("R", CultureInfo.InvariantCulture))
                .Append(',')
                .Append(p.Alarm switch { null => "NA", true => "1", false => "0" })
                .Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
