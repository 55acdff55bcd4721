using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Evaluation;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using OpenHip.Modules.Synthetic;

namespace OpenHip.Benchmarks.Mpi;

/// <summary>
/// A Chinese population from the synthetic-region generator, with its ground truth: every Patient record of
/// every resident (1-4 institutions each, with homophones, traditional characters, transposed ID digits,
/// pinyin-only names, moves), the true person being the resident key. Twins and namesakes are there on purpose.
/// </summary>
internal static class SyntheticRegionDataset
{
    public static LabelledDataset Create(int residents, int seed, LinkageOptions? options = null)
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = residents, Seed = seed });
        DateOnly today = generator.Options.ReferenceDate;
        var records = new List<PersonRecord>();
        var entities = new List<string>();
        var institutions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ResidentHistory history in generator.GenerateResidents())
        {
            foreach (Patient patient in history.Bundle.Entry.Select(e => e.Resource).OfType<Patient>())
            {
                string institution = patient.ManagingOrganization?.Reference ?? string.Empty;
                if (!institutions.TryGetValue(institution, out int source))
                {
                    source = institutions.Count;
                    institutions[institution] = source;
                }

                Demographics d = PatientDemographics.From(patient) with { Id = $"{history.ResidentKey}/{records.Count}", Source = source };
                records.Add(PersonRecordBuilder.Build(d, today));
                entities.Add(history.ResidentKey);
            }
        }

        return new LabelledDataset($"synthetic-region {residents}", records, entities, options ?? new LinkageOptions());
    }
}
