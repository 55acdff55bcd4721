using Microsoft.Extensions.Options;
using OpenHip.Fhir.Search;

namespace OpenHip.Fhir.Resources;

/// <summary>The engine settings data annotations cannot check, with messages an operator can act on.</summary>
public sealed class FhirEngineOptionsValidator : IValidateOptions<FhirEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, FhirEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RegionTimeZone.TryResolve(options.TimeZone) is null
            ? ValidateOptionsResult.Fail(
                $"{FhirEngineOptions.SectionName}:TimeZone: '{options.TimeZone}' is not a time zone known to this machine (use an IANA id such as Asia/Shanghai; the host needs time zone data, e.g. the tzdata package)")
            : ValidateOptionsResult.Success;
    }
}
