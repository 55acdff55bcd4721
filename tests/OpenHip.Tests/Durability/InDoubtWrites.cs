using System.Text.Json.Nodes;

namespace OpenHip.Tests.Durability;

/// <summary>What the durability suites share about writes sent to a server that may die under them.</summary>
internal static class InDoubtWrites
{
    /// <summary>The failures of a request whose connection a crash cut off: its write may or may not have committed.</summary>
    /// <remarks>
    /// A server killed while the client connects can surface as a bare <see cref="System.Net.Sockets.SocketException"/>
    /// ("Transport endpoint is not connected", from HttpConnectionPool reading the new socket's remote end point),
    /// which HttpClient does not wrap.
    /// </remarks>
    public static bool IsCutOff(Exception exception) =>
        exception is HttpRequestException or IOException or TaskCanceledException or System.Net.Sockets.SocketException;

    /// <summary>The id of the Patient POSTed as entry 0 of a transaction, from the response (entries come back in request order).</summary>
    public static string FirstPatientId(string transactionResponse)
    {
        string[] location = JsonNode.Parse(transactionResponse)!["entry"]![0]!["response"]!["location"]!.GetValue<string>().Split('/');
        return location[Array.IndexOf(location, "Patient") + 1];
    }
}
