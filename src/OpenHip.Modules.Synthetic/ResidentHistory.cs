using Hl7.Fhir.Model;

namespace OpenHip.Modules.Synthetic;

/// <summary>One resident's records as a FHIR transaction Bundle, with the ground truth that goes with it.</summary>
public sealed class ResidentHistory
{
    internal ResidentHistory(string residentKey, Bundle bundle, IReadOnlyList<IdentityLabel> identities, IReadOnlyList<OutbreakCaseLabel> outbreakCases)
    {
        ResidentKey = residentKey;
        Bundle = bundle;
        Identities = identities;
        OutbreakCases = outbreakCases;
    }

    public string ResidentKey { get; }

    /// <summary>
    /// Transaction Bundle: POST entries with <c>urn:uuid:</c> fullUrls; shared resources are referenced as
    /// <c>Organization/&lt;id&gt;</c> etc., so the shared bundle must be loaded first.
    /// </summary>
    public Bundle Bundle { get; }

    public IReadOnlyList<IdentityLabel> Identities { get; }

    public IReadOnlyList<OutbreakCaseLabel> OutbreakCases { get; }
}
