using System.Text;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// Reads RFC 4180 CSV one record at a time (quoted fields may hold commas, quotes and line breaks), so a release
/// file of any size streams. Each record knows the line it started on, for error messages.
/// </summary>
internal sealed class CsvReader(TextReader reader, string file)
{
    private long _line = 1;

    public string File { get; } = file;

    /// <summary>The next record and the line it starts on; null at the end of the file. Blank lines are skipped.</summary>
    public (string[] Fields, long Line)? Read()
    {
        while (true)
        {
            long start = _line;
            List<string>? fields = ReadRecord();
            if (fields is null)
            {
                return null;
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            return ([.. fields], start);
        }
    }

    private List<string>? ReadRecord()
    {
        int c = reader.Read();
        if (c < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        bool wasQuoted = false;
        long start = _line;
        while (true)
        {
            if (c < 0)
            {
                if (quoted)
                {
                    throw new TerminologyLoadException(File, start, "a quoted field is not closed before the end of the file");
                }

                fields.Add(field.ToString());
                return fields;
            }

            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _line++;
                    }

                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.Length == 0 && !wasQuoted)
            {
                quoted = true;
                wasQuoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                _line++;
                fields.Add(field.ToString());
                return fields;
            }
            else if (wasQuoted)
            {
                throw new TerminologyLoadException(File, _line, "text follows a closing quote inside a field");
            }
            else
            {
                field.Append(ch);
            }

            c = reader.Read();
        }
    }
}
