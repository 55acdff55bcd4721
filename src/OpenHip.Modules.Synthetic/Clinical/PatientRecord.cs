using OpenHip.Modules.Synthetic.Region;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>A resident's Patient record at one institution, as other entries of the bundle reference it.</summary>
internal sealed record PatientRecord(Institution Institution, string FullUrl);
