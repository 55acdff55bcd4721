namespace OpenHip.Modules.Surveillance.Domain;

/// <summary>
/// Per step of the input series: the upper bound (NaN where the reference output writes NA) and the alarm
/// (null where it writes NA). Steps outside the monitored range are NA in both.
/// </summary>
internal sealed class DetectionResult
{
    public DetectionResult(int length)
    {
        UpperBound = new double[length];
        Array.Fill(UpperBound, double.NaN);
        Alarm = new bool?[length];
    }

    public double[] UpperBound { get; }

    public bool?[] Alarm { get; }

    public int Length => UpperBound.Length;

    public int AlarmCount => Alarm.Count(a => a == true);
}
