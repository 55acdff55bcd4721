using System.Text;

namespace OpenHip.Fhir.Tests.Fuzz;

/// <summary>
/// Seeded mutations of a valid document: byte flips, cuts, duplications, truncation and inserted syntax that parsers
/// mishandle (nesting, huge numbers, escapes, entities). The same seed gives the same inputs, so a failure reproduces.
/// </summary>
internal static class ByteMutator
{
    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e999", "-0", "\\u0000", "\\ud800", "\"resourceType\":\"Bundle\"",
        "\"extension\":[{\"url\":1}]", "[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{", "\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script/></div>\"",
        "\"id\":\"../../x\"", "\"_birthDate\":{\"extension\":[]}", "\"contained\":[{}]", "\u00e9\u4e2d", "\uFEFF",
    ];

    private static readonly string[] XmlTokens =
    [
        "<", ">", "/>", "</", "&", "&amp;", "&#0;", "&#xD800;", "<![CDATA[x]]>", "<!--", "-->", "<!DOCTYPE x [<!ENTITY e \"e\">]>",
        "<?xml version=\"1.0\"?>", "xmlns=\"http://evil\"", "<extension url=\"x\"><extension url=\"y\">", " value=\"\"", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><script/></div>",
        "<contained/>", "\u00e9\u4e2d", "\"", "'",
    ];

    public static byte[] Mutate(byte[] source, Random random, bool xml)
    {
        var bytes = new List<byte>(source);
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds && bytes.Count > 0; r++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(32)));
                    break;
                case 2:
                    int length = Math.Min(bytes.Count - at, 1 + random.Next(64));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                case 5:
                    string[] tokens = xml ? XmlTokens : JsonTokens;
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Length)]));
                    break;
                default:
                    int other = random.Next(bytes.Count);
                    (bytes[at], bytes[other]) = (bytes[other], bytes[at]);
                    break;
            }
        }

        return [.. bytes];
    }
}
