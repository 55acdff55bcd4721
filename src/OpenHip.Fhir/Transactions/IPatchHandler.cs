using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Transactions;

/// <summary>Applies the patch carried by a transaction entry (a Parameters FHIRPath Patch, or a Binary JSON Patch).</summary>
public interface IPatchHandler
{
    Resource Apply(Resource current, Resource patch);
}
