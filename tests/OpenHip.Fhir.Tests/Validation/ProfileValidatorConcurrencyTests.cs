using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using OpenHip.Fhir.Validation;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Fhir.Tests.Validation;

public sealed class ProfileValidatorConcurrencyTests
{
    // Regression: the first validations of a fresh validator, run concurrently, reported no issues at all.
    [Fact]
    public async Task Validate_ConcurrentFirstCalls_AllReportTheInvariantViolation()
    {
        var validator = new ProfileValidator(ZipSource.CreateValidationSource());
        Func<Observation> invalid = () => new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Text = "x" },
            Value = new FhirString("5"),
            DataAbsentReason = new CodeableConcept { Text = "lost" },
        };

        // Other types validated at the same moment, as a busy server does right after start.
        Resource[] others = [new Patient { Active = true }, new Encounter { Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB") }];
        Task<ProfileValidationResult>[] observations = Enumerable.Range(0, 4).Select(_ => Task.Run(() => validator.Validate(invalid()))).ToArray();
        Task<ProfileValidationResult>[] mixed = others.Select(o => Task.Run(() => validator.Validate(o))).ToArray();
        await Task.WhenAll(observations.Concat(mixed));

        Assert.All(observations, t => Assert.False(t.Result.IsValid));
        Assert.False(validator.Validate(invalid()).IsValid);
    }
}
