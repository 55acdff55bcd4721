namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>
/// The identifier system URIs the MPI understands (documented in the module README). Institutions that publish
/// their own system keep it; these are what OpenHIP writes when they do not.
/// </summary>
internal static class IdentifierSystems
{
    /// <summary>居民身份证号码 (GB 11643), also the number on HK/Macau/Taiwan residence permits (81/82/83 prefixes).</summary>
    public const string ResidentId = "http://openhip.org/sid/cn-resident-id";

    /// <summary>Passports: this prefix plus the issuing country's ISO 3166-1 alpha-3 code (…/passport/CHN).</summary>
    public const string PassportPrefix = "http://openhip.org/sid/passport/";

    /// <summary>港澳居民来往内地通行证 (home-return permit of Hong Kong and Macau residents).</summary>
    public const string HongKongMacauPermit = "http://openhip.org/sid/cn-hkmo-permit";

    /// <summary>台湾居民来往大陆通行证 (mainland travel permit of Taiwan residents).</summary>
    public const string TaiwanPermit = "http://openhip.org/sid/cn-tw-permit";

    /// <summary>外国人永久居留身份证 (foreigner's permanent residence ID card).</summary>
    public const string ForeignPermanentResident = "http://openhip.org/sid/cn-foreign-permanent-resident";

    /// <summary>社会保障卡号 (social security card number).</summary>
    public const string SocialInsurance = "http://openhip.org/sid/cn-social-insurance";

    /// <summary>医保码 / medical insurance number (国家医保信息平台).</summary>
    public const string MedicalInsurance = "http://openhip.org/sid/cn-medical-insurance";

    /// <summary>电子健康卡 (electronic health card) id.</summary>
    public const string HealthCard = "http://openhip.org/sid/cn-ehc";

    /// <summary>Institution MRNs: this prefix plus the Organization's id, unless the institution supplies its own system.</summary>
    public const string MrnPrefix = "http://openhip.org/sid/mrn/";

    /// <summary>HL7 v2 table 0203: the identifier type codes (NI, PPN, MR, ...).</summary>
    public const string V2IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
}
