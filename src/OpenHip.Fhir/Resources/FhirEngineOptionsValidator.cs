using Microsoft.Extensions.Options;
using OpenHip.Fhir.Search;

namespace OpenHip.Fhir.Resources;

/// <summary>The engine settings data annotations cannot check, with messages an operator can act on.</summary>
public sealed class FhirEngineOptionsValidator : IValidateOptions<FhirEngineOptions>
{
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, FhirEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (RegionTimeZone.TryResolve(options.TimeZone) is null)
        {
            failures.Add($"{FhirEngineOptions.SectionName}:TimeZone: '{options.TimeZone}' is not a time zone known to this machine (use an IANA id such as Asia/Shanghai; the host needs time zone data, e.g. the tzdata package)");
        }

        if (options.OutboxPollInterval < MinPoll || options.OutboxPollInterval > MaxPoll)
        {
            failures.Add($"{FhirEngineOptions.SectionName}:OutboxPollInterval: {options.OutboxPollInterval} is outside {MinPoll}..{MaxPoll}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
