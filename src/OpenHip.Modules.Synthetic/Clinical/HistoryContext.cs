using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Region;
using OpenHip.Modules.Synthetic.Residents;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>The resident being written and the resource constructors its history uses.</summary>
internal sealed class HistoryContext(Resident resident, DeterministicRandom random, BundleBuilder bundle, DateOnly reference)
{
    public Resident Resident { get; } = resident;

    public DeterministicRandom Random { get; } = random;

    public BundleBuilder Bundle { get; } = bundle;

    public DateOnly Reference { get; } = reference;

    public List<PatientRecord> Records { get; } = new(4);

    public PatientRecord PrimaryCare => Records[0];

    /// <summary>Where a notifiable case is diagnosed: the first hospital record, else primary care.</summary>
    public PatientRecord CaseRecord => Records.FirstOrDefault(r => r.Institution.IsHospital) ?? Records[0];

    public DateOnly RandomDate(DateOnly from, DateOnly to) =>
        to <= from ? from : from.AddDays(Random.Next(0, to.DayNumber - from.DayNumber + 1));

    public string Practitioner(PatientRecord record) =>
        "Practitioner/" + Random.Pick(record.Institution.PractitionerIds);

    public string AddEncounter(PatientRecord record, string classCode, string classDisplay, string typeText, DateOnly start, DateOnly end)
    {
        int startMinute = 480 + Random.Next(0, 540);
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding(FhirElements.ActCode, classCode, classDisplay),
            Type = [new CodeableConcept { Text = typeText }],
            Subject = FhirElements.Ref(record.FullUrl),
            Participant = [new Encounter.ParticipantComponent { Individual = FhirElements.Ref(Practitioner(record)) }],
            Period = new Period(FhirElements.At(start, startMinute), FhirElements.At(end, end == start ? Math.Min(startMinute + 20 + Random.Next(0, 40), 1439) : 600)),
            ServiceProvider = FhirElements.Ref(record.Institution.OrganizationReference),
            Location = [new Encounter.LocationComponent { Location = FhirElements.Ref(record.Institution.LocationReference) }],
        };
        return Bundle.Add(encounter, record.Institution.Source);
    }

    public string AddCondition(PatientRecord record, string? encounter, ClinicalCode code, string? text, DateOnly onset, string category, bool notifiable = false)
    {
        var categories = new List<CodeableConcept> { FhirElements.Concept(FhirElements.ConditionCategory, category) };
        if (notifiable)
        {
            categories.Add(FhirElements.Concept(FhirElements.OpenHipConditionCategory, "notifiable-disease", "Notifiable disease"));
        }

        bool resolved = category == "encounter-diagnosis" && !notifiable && onset < Reference.AddDays(-30);
        var condition = new Condition
        {
            ClinicalStatus = FhirElements.Concept(FhirElements.ConditionClinical, resolved ? "resolved" : "active"),
            VerificationStatus = FhirElements.Concept(FhirElements.ConditionVerification, "confirmed"),
            Category = categories,
            Code = FhirElements.Concept(code, text),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = encounter is null ? null : FhirElements.Ref(encounter),
            Onset = new FhirDateTime(FhirElements.Date(onset)),
            RecordedDate = FhirElements.Date(onset),
            Recorder = FhirElements.Ref(Practitioner(record)),
        };
        return Bundle.Add(condition, record.Institution.Source);
    }

    public string AddNotifiableCase(PatientRecord record, ClinicalCode disease, DateOnly onset)
    {
        DateOnly visit = onset.AddDays(Random.Next(0, 3));
        if (visit > Reference)
        {
            visit = onset;
        }

        string encounter = AddEncounter(record, "AMB", "ambulatory", "门诊", visit, visit);
        return AddCondition(record, encounter, disease, null, onset, "encounter-diagnosis", notifiable: true);
    }

    public void AddBloodPressure(PatientRecord record, string encounter, DateOnly day, double systolicMean, double diastolicMean)
    {
        decimal systolic = (decimal)Math.Round(Random.NextGaussian(systolicMean, 12));
        decimal diastolic = (decimal)Math.Round(Random.NextGaussian(diastolicMean, 8));
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [FhirElements.Concept(FhirElements.ObservationCategory, "vital-signs", "Vital Signs")],
            Code = FhirElements.Concept(ClinicalCodes.BloodPressurePanel, "血压"),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = FhirElements.Ref(encounter),
            Effective = FhirElements.At(day, 540 + Random.Next(0, 400)),
            Performer = [FhirElements.Ref(Practitioner(record))],
            Component =
            [
                new Observation.ComponentComponent { Code = FhirElements.Concept(ClinicalCodes.Systolic), Value = FhirElements.Ucum(systolic, "mm[Hg]") },
                new Observation.ComponentComponent { Code = FhirElements.Concept(ClinicalCodes.Diastolic), Value = FhirElements.Ucum(diastolic, "mm[Hg]") },
            ],
        };
        Bundle.Add(observation, record.Institution.Source);
    }

    public void AddTemperature(PatientRecord record, string encounter, DateOnly day)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [FhirElements.Concept(FhirElements.ObservationCategory, "vital-signs", "Vital Signs")],
            Code = FhirElements.Concept(ClinicalCodes.BodyTemperature, "体温"),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = FhirElements.Ref(encounter),
            Effective = FhirElements.At(day, 540 + Random.Next(0, 400)),
            Value = FhirElements.Ucum(Math.Round(38.0m + (Random.Next(0, 16) / 10m), 1), "Cel"),
        };
        Bundle.Add(observation, record.Institution.Source);
    }

    public void AddAntigenTest(PatientRecord record, string encounter, DateOnly day, bool positive)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [FhirElements.Concept(FhirElements.ObservationCategory, "laboratory", "Laboratory")],
            Code = FhirElements.Concept(ClinicalCodes.InfluenzaAntigen, "甲型流感病毒抗原"),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = FhirElements.Ref(encounter),
            Effective = FhirElements.At(day, 600 + Random.Next(0, 400)),
            Performer = [FhirElements.Ref(record.Institution.OrganizationReference)],
            Value = FhirElements.Concept(positive ? ClinicalCodes.Positive : ClinicalCodes.Negative),
        };
        Bundle.Add(observation, record.Institution.Source);
    }

    /// <summary>Lab Observations (and a DiagnosticReport when a panel code is given); factor shifts the mean.</summary>
    public void AddLabs(PatientRecord record, string encounter, DateOnly day, ClinicalCode? panel, IReadOnlyList<LabTest> tests, double factor, string text)
    {
        FhirDateTime effective = FhirElements.At(day, 480 + Random.Next(0, 300));
        var results = new List<ResourceReference>(tests.Count);
        bool male = Resident.Male;
        foreach (LabTest test in tests)
        {
            double low = male ? test.MaleLow : test.FemaleLow;
            double high = male ? test.MaleHigh : test.FemaleHigh;
            double value = Random.NextGaussian((low + high) / 2 * factor, (high - low) / 4);
            decimal rounded = Math.Max((decimal)Math.Round(value, test.Decimals), test.Decimals == 0 ? 1m : 0.1m);
            string interpretation = rounded < (decimal)low ? "L" : rounded > (decimal)high ? "H" : "N";
            var observation = new Observation
            {
                Status = ObservationStatus.Final,
                Category = [FhirElements.Concept(FhirElements.ObservationCategory, "laboratory", "Laboratory")],
                Code = FhirElements.Concept(test.Code),
                Subject = FhirElements.Ref(record.FullUrl),
                Encounter = FhirElements.Ref(encounter),
                Effective = effective,
                Performer = [FhirElements.Ref(record.Institution.OrganizationReference)],
                Value = FhirElements.Ucum(rounded, test.Unit),
                Interpretation = [FhirElements.Concept(FhirElements.Interpretation, interpretation)],
                ReferenceRange =
                [
                    new Observation.ReferenceRangeComponent
                    {
                        Low = FhirElements.Ucum((decimal)low, test.Unit),
                        High = FhirElements.Ucum((decimal)high, test.Unit),
                    },
                ],
            };
            results.Add(FhirElements.Ref(Bundle.Add(observation, record.Institution.Source)));
        }

        if (panel is null)
        {
            return;
        }

        var report = new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [FhirElements.Concept(FhirElements.DiagnosticServiceSection, "LAB", "Laboratory")],
            Code = FhirElements.Concept(panel, text),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = FhirElements.Ref(encounter),
            Effective = effective,
            Performer = [FhirElements.Ref(record.Institution.OrganizationReference)],
            Result = results,
        };
        Bundle.Add(report, record.Institution.Source);
    }

    public void AddImaging(PatientRecord record, string encounter, DateOnly day, ClinicalCode study, bool abnormal)
    {
        var report = new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [FhirElements.Concept(FhirElements.DiagnosticServiceSection, "RAD", "Radiology")],
            Code = FhirElements.Concept(study, study == ClinicalCodes.ChestCt ? "胸部CT平扫" : "胸部正侧位片"),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = FhirElements.Ref(encounter),
            Effective = FhirElements.At(day, 600 + Random.Next(0, 400)),
            Performer = [FhirElements.Ref(record.Institution.OrganizationReference)],
            ResultsInterpreter = [FhirElements.Ref(Practitioner(record))],
            Conclusion = abnormal ? "右下肺见斑片状模糊影，考虑炎症，建议治疗后复查。" : "双肺纹理清晰，未见明显实质性病变。心影大小正常。",
        };
        Bundle.Add(report, record.Institution.Source);
    }

    /// <summary>A MedicationRequest and its dispense, by the prescribing institution or (sometimes) a pharmacy.</summary>
    public void Prescribe(PatientRecord record, string encounter, Medication medication, DateOnly day, Institution? pharmacy)
    {
        string practitioner = Practitioner(record);
        int quantity = medication.DailyDoses * medication.DaysSupply;
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Completed,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = FhirElements.Concept(medication.Code, medication.DoseText),
            Subject = FhirElements.Ref(record.FullUrl),
            Encounter = FhirElements.Ref(encounter),
            AuthoredOn = FhirElements.Instant(day, 600),
            Requester = FhirElements.Ref(practitioner),
            DosageInstruction = [new Dosage { Text = DosageText(medication) }],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                Quantity = new Quantity { Value = quantity, Unit = "{dose}", System = ClinicalCodes.Ucum, Code = "{dose}" },
                ExpectedSupplyDuration = new Duration { Value = medication.DaysSupply, Unit = "d", System = ClinicalCodes.Ucum, Code = "d" },
            },
        };
        string requestUrl = Bundle.Add(request, record.Institution.Source);

        bool atPharmacy = pharmacy is not null && Random.Chance(0.2);
        Institution dispenser = atPharmacy ? pharmacy! : record.Institution;
        var dispense = new MedicationDispense
        {
            Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
            Medication = FhirElements.Concept(medication.Code, medication.DoseText),
            Subject = FhirElements.Ref(record.FullUrl),
            AuthorizingPrescription = [FhirElements.Ref(requestUrl)],
            Performer = [new MedicationDispense.PerformerComponent { Actor = FhirElements.Ref(dispenser.OrganizationReference) }],
            Quantity = new Quantity { Value = quantity, Unit = "{dose}", System = ClinicalCodes.Ucum, Code = "{dose}" },
            DaysSupply = new Quantity { Value = medication.DaysSupply, Unit = "d", System = ClinicalCodes.Ucum, Code = "d" },
            WhenHandedOver = FhirElements.Instant(day, 660 + Random.Next(0, 300)),
        };
        Bundle.Add(dispense, dispenser.Source);
    }

    private static string DosageText(Medication medication) => medication.DailyDoses switch
    {
        1 => "每日一次，每次1片（粒）",
        2 => "每日两次，每次1片（粒）",
        _ => "每日三次，每次1片（粒）",
    };
}
