namespace OpenHip.Hosting;

public enum LogFormat
{
    Text,
    Json,
}
