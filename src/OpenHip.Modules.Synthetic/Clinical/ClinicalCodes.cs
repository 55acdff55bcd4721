namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>
/// Every code list the generator uses, with its source. Codes are standard codes; displays are the code system's
/// English display (Chinese text is carried in CodeableConcept.text where clinicians would see it).
/// </summary>
internal static class ClinicalCodes
{
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Atc = "http://www.whocc.no/atc";
    public const string Cvx = "http://hl7.org/fhir/sid/cvx";
    public const string Snomed = "http://snomed.info/sct";
    public const string NipVaccine = "http://openhip.org/fhir/CodeSystem/cn-nip-vaccine";

    // ICD-10: WHO ICD-10 2019 (the 3/4-character codes shared with China's 国家临床版 2.0).
    public static readonly ClinicalCode Hypertension = Icd("I10", "Essential (primary) hypertension");
    public static readonly ClinicalCode Type2Diabetes = Icd("E11.9", "Type 2 diabetes mellitus without complications");
    public static readonly ClinicalCode InfluenzaUnidentified = Icd("J11.1", "Influenza with other respiratory manifestations, virus not identified");
    public static readonly ClinicalCode InfluenzaIdentified = Icd("J10.1", "Influenza with other respiratory manifestations, seasonal influenza virus identified");
    public static readonly ClinicalCode UpperRespiratoryInfection = Icd("J06.9", "Acute upper respiratory infection, unspecified");

    public static readonly IReadOnlyList<ClinicalCode> OutpatientProblems =
    [
        Icd("K29.7", "Gastritis, unspecified"),
        Icd("M54.5", "Low back pain"),
        Icd("J20.9", "Acute bronchitis, unspecified"),
        Icd("L30.9", "Dermatitis, unspecified"),
        Icd("H10.9", "Conjunctivitis, unspecified"),
        Icd("K02.9", "Dental caries, unspecified"),
        Icd("N39.0", "Urinary tract infection, site not specified"),
    ];

    public static readonly IReadOnlyList<ClinicalCode> InpatientProblems =
    [
        Icd("J18.9", "Pneumonia, unspecified"),
        Icd("I63.9", "Cerebral infarction, unspecified"),
        Icd("I25.1", "Atherosclerotic heart disease"),
        Icd("I50.9", "Heart failure, unspecified"),
        Icd("K35.8", "Acute appendicitis, other and unspecified"),
        Icd("S72.0", "Fracture of neck of femur"),
        Icd("K80.2", "Calculus of gallbladder without cholecystitis"),
    ];

    public static readonly IReadOnlyList<ClinicalCode> EmergencyProblems =
    [
        Icd("R10.4", "Other and unspecified abdominal pain"),
        Icd("S06.0", "Concussion"),
        Icd("T78.4", "Allergy, unspecified"),
        Icd("I20.0", "Unstable angina"),
        Icd("R55", "Syncope and collapse"),
    ];

    // Notifiable diseases: classes B and C of the Law on the Prevention and Control of Infectious Diseases
    // (中华人民共和国传染病防治法, list as amended by NHC notices); ICD-10 as used on the 传染病报告卡.
    public static readonly ClinicalCode HandFootMouth = Icd("B08.4", "Enteroviral vesicular stomatitis with exanthem");
    public static readonly ClinicalCode Norovirus = Icd("A08.1", "Acute gastroenteropathy due to Norwalk agent");

    public static readonly IReadOnlyList<(ClinicalCode Code, double AnnualRate, int MinAge, int MaxAge)> NotifiableBackground =
    [
        (HandFootMouth, 0.02, 0, 5),
        (Icd("A09", "Other gastroenteritis and colitis of infectious and unspecified origin"), 0.004, 0, 120),
        (Icd("A15.0", "Tuberculosis of lung, confirmed by sputum microscopy with or without culture"), 0.0006, 15, 120),
        (Icd("A38", "Scarlet fever"), 0.003, 3, 12),
        (Icd("B15.9", "Hepatitis A without hepatic coma"), 0.0002, 0, 120),
        (Icd("A90", "Dengue fever [classical dengue]"), 0.0002, 0, 120),
    ];

    // LOINC 2.77 (loinc.org). Reference intervals: WS/T 405-2012 (blood counts), WS/T 404.1/404.5 (ALT,
    // creatinine), Chinese adult dyslipidaemia guideline 2016 (cholesterol), WHO/ADA fasting glucose and HbA1c.
    public static readonly ClinicalCode CbcPanel = Lnc("58410-2", "CBC panel - Blood by Automated count");
    public static readonly ClinicalCode ChemistryPanel = Lnc("24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma");
    public static readonly ClinicalCode BloodPressurePanel = Lnc("85354-9", "Blood pressure panel with all children optional");
    public static readonly ClinicalCode Systolic = Lnc("8480-6", "Systolic blood pressure");
    public static readonly ClinicalCode Diastolic = Lnc("8462-4", "Diastolic blood pressure");
    public static readonly ClinicalCode BodyTemperature = Lnc("8310-5", "Body temperature");
    public static readonly ClinicalCode InfluenzaAntigen = Lnc("80382-5", "Influenza virus A Ag [Presence] in Upper respiratory specimen by Rapid immunoassay");
    public static readonly ClinicalCode ChestXray = Lnc("36643-5", "XR Chest 2 Views");
    public static readonly ClinicalCode ChestCt = Lnc("24627-2", "CT Chest");
    public static readonly ClinicalCode Positive = new(Snomed, "10828004", "Positive");
    public static readonly ClinicalCode Negative = new(Snomed, "260385009", "Negative");

    public static readonly IReadOnlyList<LabTest> Cbc =
    [
        new(Lnc("6690-2", "Leukocytes [#/volume] in Blood by Automated count"), "10*9/L", 3.5, 9.5, 3.5, 9.5, 1),
        new(Lnc("789-8", "Erythrocytes [#/volume] in Blood by Automated count"), "10*12/L", 4.3, 5.8, 3.8, 5.1, 2),
        new(Lnc("718-7", "Hemoglobin [Mass/volume] in Blood"), "g/L", 130, 175, 115, 150, 0),
        new(Lnc("777-3", "Platelets [#/volume] in Blood by Automated count"), "10*9/L", 125, 350, 125, 350, 0),
    ];

    public static readonly LabTest FastingGlucose = new(Lnc("1558-6", "Fasting glucose [Moles/volume] in Serum or Plasma"), "mmol/L", 3.9, 6.1, 3.9, 6.1, 1);
    public static readonly LabTest HbA1c = new(Lnc("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"), "%", 4.0, 6.0, 4.0, 6.0, 1);

    public static readonly IReadOnlyList<LabTest> Chemistry =
    [
        FastingGlucose,
        new(Lnc("14682-9", "Creatinine [Moles/volume] in Serum or Plasma"), "umol/L", 57, 111, 41, 81, 0),
        new(Lnc("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"), "U/L", 9, 50, 7, 40, 0),
        new(Lnc("14647-2", "Cholesterol [Moles/volume] in Serum or Plasma"), "mmol/L", 2.8, 5.2, 2.8, 5.2, 2),
    ];

    // ATC: WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD Index 2024. Product text is the
    // Chinese generic name and strength as on a prescription.
    public static readonly Medication Amlodipine = Med("C08CA01", "amlodipine", "苯磺酸氨氯地平片 5mg", 1, 30);
    public static readonly Medication Losartan = Med("C09CA01", "losartan", "氯沙坦钾片 50mg", 1, 30);
    public static readonly Medication Metformin = Med("A10BA02", "metformin", "盐酸二甲双胍片 0.5g", 3, 30);
    public static readonly Medication Oseltamivir = Med("J05AH02", "oseltamivir", "磷酸奥司他韦胶囊 75mg", 2, 5);
    public static readonly Medication Paracetamol = Med("N02BE01", "paracetamol", "对乙酰氨基酚片 0.5g", 3, 3);
    public static readonly Medication Amoxicillin = Med("J01CA04", "amoxicillin", "阿莫西林胶囊 0.5g", 3, 7);
    public static readonly Medication Omeprazole = Med("A02BC01", "omeprazole", "奥美拉唑肠溶胶囊 20mg", 1, 14);
    public static readonly Medication Ceftriaxone = Med("J01DD04", "ceftriaxone", "注射用头孢曲松钠 1g", 1, 5);
    public static readonly Medication Aspirin = Med("B01AC06", "acetylsalicylic acid", "阿司匹林肠溶片 100mg", 1, 30);
    public static readonly Medication Atorvastatin = Med("C10AA05", "atorvastatin", "阿托伐他汀钙片 20mg", 1, 30);

    // National immunisation programme for children, 国家免疫规划疫苗儿童免疫程序及说明（2021年版）, NHC.
    // NIP codes are the programme's abbreviations; CVX (CDC) only where the product class has an exact CVX code.
    public static readonly IReadOnlyList<Vaccine> ChildhoodSchedule =
    [
        new("HepB", "乙肝疫苗", "08", 1, 0),
        new("BCG", "卡介苗", "19", 1, 0),
        new("HepB", "乙肝疫苗", "08", 2, 1),
        new("IPV", "脊灰灭活疫苗", "10", 1, 2),
        new("IPV", "脊灰灭活疫苗", "10", 2, 3),
        new("DTaP", "百白破疫苗", "20", 1, 3),
        new("bOPV", "二价脊灰减毒活疫苗", null, 1, 4),
        new("DTaP", "百白破疫苗", "20", 2, 4),
        new("DTaP", "百白破疫苗", "20", 3, 5),
        new("HepB", "乙肝疫苗", "08", 3, 6),
        new("MPSV-A", "A群流脑多糖疫苗", null, 1, 6),
        new("MMR", "麻腮风疫苗", "03", 1, 8),
        new("JE-L", "乙脑减毒活疫苗", null, 1, 8),
        new("MPSV-A", "A群流脑多糖疫苗", null, 2, 9),
        new("DTaP", "百白破疫苗", "20", 4, 18),
        new("MMR", "麻腮风疫苗", "03", 2, 18),
        new("HepA-L", "甲肝减毒活疫苗", null, 1, 18),
        new("JE-L", "乙脑减毒活疫苗", null, 2, 24),
        new("MPSV-AC", "A群C群流脑多糖疫苗", null, 1, 36),
        new("bOPV", "二价脊灰减毒活疫苗", null, 2, 48),
        new("DT", "白破疫苗", "28", 1, 72),
        new("MPSV-AC", "A群C群流脑多糖疫苗", null, 2, 72),
    ];

    private static ClinicalCode Icd(string code, string display) => new(Icd10, code, display);

    private static ClinicalCode Lnc(string code, string display) => new(Loinc, code, display);

    private static Medication Med(string atc, string display, string text, int daily, int days) =>
        new(new ClinicalCode(Atc, atc, display), text, daily, days);
}
