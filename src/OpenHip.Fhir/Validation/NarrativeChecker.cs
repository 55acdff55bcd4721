using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Validation;

/// <summary>
/// Checks every narrative div against the FHIR XHTML rules. Firely's JSON deserializer does this in strict mode,
/// its XML deserializer does not (6.8.0 accepts an empty div or a &lt;script&gt; there), so XML input goes through here;
/// Firely's rules allow any attribute value, so active URLs (<c>javascript:</c>) are refused here for both formats.
/// </summary>
internal static class NarrativeChecker
{
    public static void Check(Resource resource, List<FhirIssue> issues) => Walk(resource, resource.TypeName, issues);

    private static void Walk(Base node, string path, List<FhirIssue> issues)
    {
        foreach (KeyValuePair<string, object> element in node.EnumerateElements())
        {
            string childPath = $"{path}.{element.Key}";
            switch (element.Value)
            {
                case XHtml xhtml:
                    CheckDiv(xhtml.Value, childPath, issues);
                    break;
                case Base child:
                    Walk(child, childPath, issues);
                    break;
                case IEnumerable<Base> children:
                    int index = 0;
                    foreach (Base item in children)
                    {
                        Walk(item, $"{childPath}[{index++}]", issues);
                    }

                    break;
            }
        }
    }

    private static void CheckDiv(string? div, string path, List<FhirIssue> issues)
    {
        if (div is null)
        {
            return;
        }

        string? reason = XHtml.IsValidNarrativeXhtml(div, out string? malformed, out string[] errors)
            ? NarrativeActiveContent.Find(div)
            : malformed ?? string.Join(" ", errors);
        if (reason is not null)
        {
            issues.Add(new FhirIssue(
                OperationOutcome.IssueType.Value,
                $"The narrative is not valid FHIR XHTML: {reason}",
                path));
        }
    }
}
