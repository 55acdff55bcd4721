using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenHip.Testing.Terminology;

/// <summary>
/// A synthetic code system of any size for scale tests and benchmarks: concept <c>i</c>'s parent is <c>(i - 1) / branching</c>
/// (a complete tree by the <c>parent</c> property), English and Chinese names, and every 50th concept retired.
/// </summary>
public static class SyntheticCodeSystem
{
    public const string Url = "http://openhip.test/CodeSystem/synthetic";

    private static readonly string[] Organs = ["heart", "lung", "liver", "kidney", "brain", "bone", "skin", "blood"];
    private static readonly string[] OrgansZh = ["心脏", "肺", "肝", "肾", "脑", "骨", "皮肤", "血液"];
    private static readonly string[] Kinds = ["disorder", "infection", "injury", "tumour", "finding"];
    private static readonly string[] KindsZh = ["疾病", "感染", "损伤", "肿瘤", "所见"];

    public static string Code(int i) => "S" + i.ToString(CultureInfo.InvariantCulture);

    public static string Display(int i) =>
        $"{Organs[i % Organs.Length]} {Kinds[i / Organs.Length % Kinds.Length]} {i.ToString(CultureInfo.InvariantCulture)}";

    public static string DisplayZh(int i) =>
        $"{OrgansZh[i % Organs.Length]}{KindsZh[i / Organs.Length % Kinds.Length]}{i.ToString(CultureInfo.InvariantCulture)}";

    public static CodeSystem Create(int count, int branching = 10)
    {
        var system = new CodeSystem
        {
            Id = "synthetic",
            Url = Url,
            Version = "1",
            Name = "Synthetic",
            Status = PublicationStatus.Active,
            Content = CodeSystemContentMode.Complete,
            HierarchyMeaning = CodeSystem.CodeSystemHierarchyMeaning.IsA,
        };
        for (int i = 0; i < count; i++)
        {
            var concept = new CodeSystem.ConceptDefinitionComponent { Code = Code(i), Display = Display(i) };
            concept.Designation.Add(new CodeSystem.DesignationComponent { Language = "zh", Value = DisplayZh(i) });
            if (i > 0)
            {
                concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "parent", Value = new Code(Code((i - 1) / branching)) });
            }

            if (i % 50 == 49)
            {
                concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "status", Value = new Code("retired") });
            }

            system.Concept.Add(concept);
        }

        return system;
    }

    /// <summary>The value set of the whole synthetic system.</summary>
    public static ValueSet All() => new()
    {
        Id = "synthetic-all",
        Url = "http://openhip.test/ValueSet/synthetic-all",
        Status = PublicationStatus.Active,
        Compose = new ValueSet.ComposeComponent { Include = [new ValueSet.ConceptSetComponent { System = Url }] },
    };
}
