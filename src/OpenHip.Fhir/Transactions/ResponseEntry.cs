using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Transactions;

/// <summary>One entry of a <see cref="ResponseBundle"/>; a resource is either stored JSON bytes or a POCO (outcomes).</summary>
public sealed class ResponseEntry
{
    public string? FullUrl { get; init; }

    public ReadOnlyMemory<byte>? ResourceJson { get; init; }

    public Resource? Resource { get; init; }

    /// <summary>Bundle.entry.search.mode (searchset Bundles): match, include or outcome.</summary>
    public Bundle.SearchEntryMode? SearchMode { get; init; }

    /// <summary>Bundle.entry.request (history Bundles).</summary>
    public string? RequestMethod { get; init; }

    public string? RequestUrl { get; init; }

    /// <summary>Bundle.entry.response.status, e.g. "201 Created".</summary>
    public string? Status { get; init; }

    public string? Location { get; init; }

    public string? Etag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public OperationOutcome? Outcome { get; init; }
}
