namespace OpenHip.Modules.Mpi.Domain.Comparison;

/// <summary>How two birth dates agree, best first. The kinds are the errors clerks and OCR actually make.</summary>
internal enum DateAgreement : byte
{
    Missing,
    Exact,

    /// <summary>Two adjacent digits swapped (19870312 / 19870321).</summary>
    Transposed,

    /// <summary>One digit wrong.</summary>
    OneDigit,

    /// <summary>Day and month exchanged (US vs ISO order: 19870312 / 19871203).</summary>
    DayMonthSwapped,

    /// <summary>Only the year agrees (someone who knows the year but not the day).</summary>
    SameYear,
    Different,
}
