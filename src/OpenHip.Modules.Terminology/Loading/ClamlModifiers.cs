using System.Xml.Linq;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// Expands ClaML modifiers into codes. A class's modifiers are its own <c>ModifiedBy</c> plus those of its ancestors,
/// less its <c>ExcludeModifier</c>s. A category takes a modifier class whose code fits its place in the code: one
/// starting with "." (the fourth character) fits a code without a dot, any other (the fifth character) a code with one;
/// so a fifth-character modifier on a three-character category reaches its four-character subclasses instead. Each
/// generated code is a child of the class it modifies, displayed as "parent display: modifier class label", and takes
/// the modifiers not yet used, so a fourth and a fifth character combine. An explicitly defined class always wins.
/// Only categories (or classes without a kind) are expanded: blocks and chapters pass their modifiers down.
/// </summary>
internal sealed class ClamlModifiers(string file)
{
    private readonly Dictionary<string, ModifierDefinition> _modifiers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Modifier, string Code), ModifierClassDefinition> _modifierClasses = [];
    private readonly Dictionary<string, ClassRow> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ModifierUse>> _inherited = new(StringComparer.Ordinal);

    public void AddModifier(XElement element, long line)
    {
        string code = Code(element, "Modifier", line);
        List<string> subClasses = [.. element.Elements("SubClass").Select(s => ((string?)s.Attribute("code"))?.Trim() ?? string.Empty).Where(c => c.Length > 0)];
        _modifiers[code] = new ModifierDefinition(subClasses, line);
    }

    public void AddModifierClass(XElement element, long line)
    {
        string modifier = ((string?)element.Attribute("modifier"))?.Trim() is { Length: > 0 } m
            ? m
            : throw new TerminologyLoadException(file, line, "a <ModifierClass> without a modifier");
        string code = Code(element, "ModifierClass", line);
        string label = element.Elements("Rubric")
            .Where(r => (string?)r.Attribute("kind") == "preferred")
            .SelectMany(r => r.Elements("Label"))
            .Select(ClamlReader.Text)
            .FirstOrDefault(t => t.Length > 0)
            ?? throw new TerminologyLoadException(file, line, $"modifier class {modifier} {code} has no preferred rubric");

        // WHO writes "<modifier> <code>": this class does not follow that class of an earlier modifier.
        List<(string Modifier, string Code)> excludedAfter = [];
        foreach (XElement meta in element.Elements("Meta").Where(e => (string?)e.Attribute("name") == "excludeOnPrecedingModifier"))
        {
            string[] parts = ((string?)meta.Attribute("value") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
            {
                excludedAfter.Add((parts[0], parts[1]));
            }
        }

        _modifierClasses[(modifier, code)] = new ModifierClassDefinition(label, excludedAfter);
    }

    public void AddClass(XElement element, CodeSystem.ConceptDefinitionComponent concept, string? parent, long line)
    {
        List<ModifierUse> modifiedBy = [];
        foreach (XElement use in element.Elements("ModifiedBy"))
        {
            string code = Code(use, "ModifiedBy", line);
            HashSet<string>? valid = use.Elements("ValidModifierClass").Any()
                ? new HashSet<string>(use.Elements("ValidModifierClass").Select(v => ((string?)v.Attribute("code"))?.Trim() ?? string.Empty), StringComparer.Ordinal)
                : null;
            modifiedBy.Add(new ModifierUse(code, valid));
        }

        HashSet<string> excluded = new(element.Elements("ExcludeModifier").Select(e => Code(e, "ExcludeModifier", line)), StringComparer.Ordinal);
        string? kind = (string?)element.Attribute("kind");
        _classes[concept.Code!] = new ClassRow(concept, parent, kind, modifiedBy, excluded, line);
    }

    /// <summary>Adds the generated codes to <paramref name="tree"/>, each under the class it modifies.</summary>
    public void Expand(ConceptTree tree)
    {
        var generated = new HashSet<string>(StringComparer.Ordinal);
        foreach (ClassRow row in _classes.Values.OrderBy(r => r.Line))
        {
            if (row.Kind is "category" or null)
            {
                Generate(tree, generated, row.Concept, Modifiers(row.Concept.Code!, []), [], row.Line);
            }
        }
    }

    private void Generate(
        ConceptTree tree,
        HashSet<string> generated,
        CodeSystem.ConceptDefinitionComponent modified,
        IReadOnlyList<ModifierUse> modifiers,
        IReadOnlyList<(string Modifier, string Code)> applied,
        long line)
    {
        string code = modified.Code!;
        foreach (ModifierUse use in modifiers)
        {
            ModifierDefinition modifier = _modifiers.TryGetValue(use.Code, out ModifierDefinition? m)
                ? m
                : throw new TerminologyLoadException(file, line, $"class {code} is modified by '{use.Code}', which is not a <Modifier> of this file");
            foreach (string suffix in modifier.SubClasses)
            {
                if (suffix.StartsWith('.') == code.Contains('.') || (use.Valid is not null && !use.Valid.Contains(suffix)))
                {
                    continue;
                }

                ModifierClassDefinition modifierClass = _modifierClasses.TryGetValue((use.Code, suffix), out ModifierClassDefinition? c)
                    ? c
                    : throw new TerminologyLoadException(file, modifier.Line, $"modifier {use.Code} lists '{suffix}', which is not a <ModifierClass> of it");
                string newCode = code + suffix;
                if (modifierClass.ExcludedAfter.Any(applied.Contains) || _classes.ContainsKey(newCode) || !generated.Add(newCode))
                {
                    continue;
                }

                var concept = new CodeSystem.ConceptDefinitionComponent { Code = newCode, Display = $"{modified.Display}: {modifierClass.Label}" };
                concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "kind", Value = new Code("category") });
                tree.Add(concept, code, line);
                Generate(tree, generated, concept, [.. modifiers.Where(u => u != use)], [.. applied, (use.Code, suffix)], line);
            }
        }
    }

    // Inherited along SuperClass; `visiting` stops at a cycle, which ConceptTree reports.
    private IReadOnlyList<ModifierUse> Modifiers(string code, HashSet<string> visiting)
    {
        if (_inherited.TryGetValue(code, out IReadOnlyList<ModifierUse>? known))
        {
            return known;
        }

        if (!_classes.TryGetValue(code, out ClassRow? row) || !visiting.Add(code))
        {
            return [];
        }

        List<ModifierUse> modifiers = row.Parent is null ? [] : [.. Modifiers(row.Parent, visiting)];
        foreach (ModifierUse own in row.ModifiedBy)
        {
            modifiers.RemoveAll(m => m.Code == own.Code);
            modifiers.Add(own);
        }

        modifiers.RemoveAll(m => row.Excluded.Contains(m.Code));
        _inherited[code] = modifiers;
        return modifiers;
    }

    private string Code(XElement element, string name, long line) =>
        ((string?)element.Attribute("code"))?.Trim() is { Length: > 0 } code
            ? code
            : throw new TerminologyLoadException(file, line, $"a <{name}> without a code");

    private sealed record ModifierDefinition(IReadOnlyList<string> SubClasses, long Line);

    private sealed record ModifierClassDefinition(string Label, IReadOnlyList<(string Modifier, string Code)> ExcludedAfter);

    private sealed record ModifierUse(string Code, IReadOnlySet<string>? Valid);

    private sealed record ClassRow(
        CodeSystem.ConceptDefinitionComponent Concept,
        string? Parent,
        string? Kind,
        IReadOnlyList<ModifierUse> ModifiedBy,
        IReadOnlySet<string> Excluded,
        long Line);
}
