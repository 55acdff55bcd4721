using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// WHO ClaML (the XML in which WHO publishes ICD-10): every Class (chapter, block, category) becomes a concept nested
/// under its SuperClass, with its kind as a property; the preferred rubric is the display and every rubric label
/// (preferred, inclusion, exclusion, note, ...) a designation in its language, its rubric kind as the use. Classes are
/// read one at a time. Modifier classes (the fourth and fifth characters that ICD-10 applies by reference) become codes
/// as <see cref="ClamlModifiers"/> describes.
/// </summary>
internal static partial class ClamlReader
{
    public const string Icd10Url = "http://hl7.org/fhir/sid/icd-10";

    /// <summary>The system of <c>designation.use</c>: its codes are the ClaML rubric kinds.</summary>
    public const string RubricKindSystem = "http://openhip.org/fhir/CodeSystem/claml-rubric-kind";

    public static CodeSystem Read(string path, TerminologyLoadSettings settings)
    {
        var xml = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreComments = true };
        string? titleName = null;
        string? titleText = null;
        string? titleVersion = null;
        var tree = new ConceptTree(path);
        var modifiers = new ClamlModifiers(path);
        using XmlReader reader = XmlReader.Create(path, xml);
        var lines = (IXmlLineInfo)reader;
        try
        {
            reader.MoveToContent();
            if (reader.LocalName != "ClaML")
            {
                throw new TerminologyLoadException(path, lines.LineNumber, $"the root element is <{reader.LocalName}>, not <ClaML>");
            }

            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName is not ("Class" or "Title" or "Modifier" or "ModifierClass"))
                {
                    reader.Read();
                    continue;
                }

                long line = lines.LineNumber;
                var element = (XElement)XNode.ReadFrom(reader);
                if (element.Name.LocalName == "Title")
                {
                    titleName = (string?)element.Attribute("name");
                    titleVersion = (string?)element.Attribute("version");
                    titleText = Text(element);
                    continue;
                }

                if (element.Name.LocalName == "Modifier")
                {
                    modifiers.AddModifier(element, line);
                    continue;
                }

                if (element.Name.LocalName == "ModifierClass")
                {
                    modifiers.AddModifierClass(element, line);
                    continue;
                }

                (CodeSystem.ConceptDefinitionComponent concept, string? parent) = ToConcept(element, path, line);
                tree.Add(concept, parent, line);
                modifiers.AddClass(element, concept, parent, line);
            }
        }
        catch (XmlException ex)
        {
            throw new TerminologyLoadException(path, ex.LineNumber, $"not well-formed XML: {ex.Message}");
        }

        if (tree.Count == 0)
        {
            throw new TerminologyLoadException(path, null, "no <Class> elements");
        }

        // Modifiers and their classes may come before or after the classes they modify, so they expand once all are read.
        modifiers.Expand(tree);

        bool icd10 = titleName?.Contains("ICD-10", StringComparison.OrdinalIgnoreCase) == true;
        CodeSystem codeSystem = CodeSystemHeader.Create(
            settings with { Id = settings.Id ?? (settings.Url is null && icd10 ? "icd-10" : null) },
            path,
            icd10 ? Icd10Url : null,
            titleText ?? titleName,
            titleVersion);
        codeSystem.Property.Add(new CodeSystem.PropertyComponent { Code = "kind", Description = "ClaML class kind: chapter, block or category", Type = CodeSystem.PropertyType.Code });
        CodeSystemHeader.Complete(codeSystem, tree.Build(), tree.Count, CodeSystem.CodeSystemHierarchyMeaning.IsA);
        return codeSystem;
    }

    private static (CodeSystem.ConceptDefinitionComponent Concept, string? Parent) ToConcept(XElement element, string path, long line)
    {
        string code = ((string?)element.Attribute("code"))?.Trim() is { Length: > 0 } c
            ? c
            : throw new TerminologyLoadException(path, line, "a <Class> without a code");
        var concept = new CodeSystem.ConceptDefinitionComponent { Code = code };
        if ((string?)element.Attribute("kind") is { Length: > 0 } kind)
        {
            concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "kind", Value = new Code(kind) });
        }

        foreach (XElement rubric in element.Elements("Rubric"))
        {
            string rubricKind = (string?)rubric.Attribute("kind") ?? "text";
            foreach (XElement label in rubric.Elements("Label"))
            {
                string text = Text(label);
                if (text.Length == 0)
                {
                    continue;
                }

                string? language = (string?)label.Attribute(XNamespace.Xml + "lang");
                concept.Designation.Add(new CodeSystem.DesignationComponent
                {
                    Language = language,
                    Use = new Coding(RubricKindSystem, rubricKind),
                    Value = text,
                });
                if (rubricKind == "preferred" && concept.Display is null)
                {
                    concept.Display = text;
                }
            }
        }

        if (concept.Display is null)
        {
            throw new TerminologyLoadException(path, line, $"class {code} has no preferred rubric");
        }

        string? parent = element.Elements("SuperClass").Select(s => (string?)s.Attribute("code")).FirstOrDefault();
        return (concept, parent);
    }

    // Labels hold mixed content (<Reference>, <Fragment>, <Para>); their text, with layout whitespace collapsed, is the value.
    internal static string Text(XElement element) => Whitespace().Replace(element.Value, " ").Trim();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
