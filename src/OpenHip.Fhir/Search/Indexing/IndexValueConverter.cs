using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>Turns one value selected by a parameter's expression into that parameter type's index entries (none when the value's type does not fit).</summary>
internal delegate void IndexValueConverter(string parameter, Base value, ICollection<IndexEntry> into);
