using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// Recognises the union branches of search-parameter expressions that can be walked on the POCO without Firely's
/// FHIRPath engine: member paths with list indexes, type filters (<c>as T</c>, <c>as(T)</c>, <c>ofType(T)</c>), equality
/// filters on a primitive child (<c>where(system='phone')</c>) and reference type filters
/// (<c>where(resolve() is Patient)</c>, which the engine cannot evaluate without a resolver and so would select nothing).
/// Together these cover all but a handful of the R4 definitions; anything else returns null and goes to FHIRPath.
/// </summary>
internal static class PathParser
{
    /// <summary>
    /// The steps of one branch, or null when it needs FHIRPath. An absolute branch starts at the resource
    /// (<paramref name="resourceType"/>, Resource or DomainResource, or a bare member name); a relative one
    /// (<paramref name="resourceType"/> null: composite components) starts at the element it is applied to.
    /// </summary>
    public static PathStep[]? Parse(string branch, string? resourceType)
    {
        var cursor = new Cursor(branch, resourceType);
        return cursor.Expression() && cursor.AtEnd ? [.. cursor.Steps] : null;
    }

    private sealed class Cursor(string text, string? resourceType)
    {
        private int _at;

        public List<PathStep> Steps { get; } = [];

        public bool AtEnd
        {
            get
            {
                SkipSpaces();
                return _at == text.Length;
            }
        }

        public bool Expression()
        {
            if (!Primary())
            {
                return false;
            }

            while (true)
            {
                int save = _at;
                SkipSpaces();
                if (Accept('.'))
                {
                    if (!Step())
                    {
                        return false;
                    }

                    continue;
                }

                _at = save;
                if (AcceptKeyword("as"))
                {
                    if (!TypeFilter())
                    {
                        return false;
                    }
                }
                else
                {
                    return true;
                }
            }
        }

        private bool Primary()
        {
            SkipSpaces();
            if (Accept('('))
            {
                if (!Expression())
                {
                    return false;
                }

                SkipSpaces();
                return Accept(')');
            }

            if (text.AsSpan(_at).StartsWith("%resource", StringComparison.Ordinal))
            {
                _at += "%resource".Length;
                Steps.Add(new PathStep(PathStepKind.Resource, string.Empty));
                return true;
            }

            string name = Identifier();
            if (name.Length == 0)
            {
                return false;
            }

            if (char.IsAsciiLetterLower(name[0]))
            {
                // A bare member name ("name | alias") reads from where the branch starts.
                return Child(name);
            }

            // A type name starts an absolute branch at the resource; relative branches never name a type.
            return Steps.Count == 0 && resourceType is not null && (name == resourceType || name is "Resource" or "DomainResource");
        }

        private bool Step()
        {
            string name = Identifier();
            if (name.Length == 0)
            {
                return false;
            }

            if (!Accept('('))
            {
                return Child(name);
            }

            SkipSpaces();
            switch (name)
            {
                case "as" or "ofType":
                    return TypeFilter() && CloseCall();
                case "where" when AcceptWord("resolve()"):
                    string target = AcceptKeyword("is") ? SpacedIdentifier() : string.Empty;
                    Steps.Add(new PathStep(PathStepKind.WhereResolveIs, target));
                    return target.Length > 0 && CloseCall();
                case "where":
                    string member = Identifier();
                    SkipSpaces();
                    if (member.Length == 0 || !Accept('=') || Literal() is not { } literal)
                    {
                        return false;
                    }

                    Steps.Add(new PathStep(PathStepKind.WhereEquals, member, literal));
                    return CloseCall();
                default:
                    return false;
            }
        }

        private bool Child(string name)
        {
            if (!Accept('['))
            {
                Steps.Add(new PathStep(PathStepKind.Child, name));
                return true;
            }

            int start = _at;
            while (_at < text.Length && char.IsAsciiDigit(text[_at]))
            {
                _at++;
            }

            if (_at == start || _at - start > 6 || !Accept(']'))
            {
                return false;
            }

            Steps.Add(new PathStep(PathStepKind.Child, name, Index: int.Parse(text.AsSpan(start, _at - 1 - start), System.Globalization.CultureInfo.InvariantCulture)));
            return true;
        }

        private bool TypeFilter()
        {
            string type = SpacedIdentifier();
            if (type.Length == 0)
            {
                return false;
            }

            // FHIRPath spells some FHIR types in their System form (value.as(DateTime)); the POCO names are camel case.
            Type? clr = ModelInfo.GetTypeForFhirType(type) ?? ModelInfo.GetTypeForFhirType(char.ToLowerInvariant(type[0]) + type[1..]);
            Steps.Add(new PathStep(PathStepKind.OfType, type, ClrType: clr));
            return true;
        }

        private string? Literal()
        {
            SkipSpaces();
            if (!Accept('\''))
            {
                return null;
            }

            int start = _at;
            while (_at < text.Length && text[_at] != '\'')
            {
                if (text[_at] == '\\')
                {
                    return null; // escapes are rare enough to leave to FHIRPath
                }

                _at++;
            }

            return Accept('\'') ? text[start..(_at - 1)] : null;
        }

        private bool CloseCall()
        {
            SkipSpaces();
            return Accept(')');
        }

        private string SpacedIdentifier()
        {
            SkipSpaces();
            return Identifier();
        }

        private string Identifier()
        {
            int start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }

            return start < _at && !char.IsAsciiDigit(text[start]) ? text[start.._at] : string.Empty;
        }

        /// <summary>A keyword between spaces (<c>value as Quantity</c>, <c>resolve() is Patient</c>).</summary>
        private bool AcceptKeyword(string keyword)
        {
            int save = _at;
            SkipSpaces();
            if (_at > save && AcceptWord(keyword) && _at < text.Length && text[_at] == ' ')
            {
                return true;
            }

            _at = save;
            return false;
        }

        private bool AcceptWord(string word)
        {
            if (text.AsSpan(_at).StartsWith(word, StringComparison.Ordinal))
            {
                _at += word.Length;
                return true;
            }

            return false;
        }

        private bool Accept(char c)
        {
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void SkipSpaces()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }
    }
}
