using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// The $match answer: a searchset Bundle, best first, each entry with <c>search.mode = match</c>,
/// <c>search.score</c> (the match probability) and the <c>match-grade</c> extension; the per-field explanation
/// rides in an OpenHIP extension on <c>search</c> (one <c>evidence</c> part per compared field).
/// </summary>
internal static class MatchBundle
{
    public const string MatchGradeExtension = "http://hl7.org/fhir/StructureDefinition/match-grade";
    public const string EvidenceExtension = "http://openhip.org/fhir/StructureDefinition/match-evidence";

    public static Bundle Create(string baseUrl, IEnumerable<(Patient Patient, BlockingIndex.Match Match)> matches)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.NewGuid().ToString() };
        foreach ((Patient patient, BlockingIndex.Match match) in matches)
        {
            var search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match, Score = Math.Round((decimal)match.Probability, 4) };
            search.Extension.Add(new Extension(MatchGradeExtension, new Code(GradeCode(match.Grade))));
            foreach ((ComparedField field, int level, double weight) in match.Evidence)
            {
                var evidence = new Extension { Url = EvidenceExtension };
                evidence.Extension.Add(new Extension("field", new Code(FieldCode(field))));
                evidence.Extension.Add(new Extension("level", new FhirString(FieldLevels.Name(field, level))));
                evidence.Extension.Add(new Extension("weight", new FhirDecimal(Math.Round((decimal)weight, 2))));
                search.Extension.Add(evidence);
            }

            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/Patient/{patient.Id}",
                Resource = patient,
                Search = search,
            });
        }

        bundle.Total = bundle.Entry.Count;
        return bundle;
    }

    public static string GradeCode(MatchGrade grade) => grade switch
    {
        MatchGrade.Certain => "certain",
        MatchGrade.Probable => "probable",
        MatchGrade.Possible => "possible",
        _ => "certainly-not",
    };

    /// <summary>camelCase field names, as element names read in FHIR.</summary>
    private static string FieldCode(ComparedField field)
    {
        string name = field.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]).ToString(CultureInfo.InvariantCulture), name[1..]);
    }
}
