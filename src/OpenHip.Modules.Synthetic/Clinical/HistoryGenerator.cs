using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Region;
using OpenHip.Modules.Synthetic.Residents;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>
/// Turns a resident into a transaction Bundle: Patient records at the institutions they use, then clinical life
/// (immunisations, chronic follow-up, acute visits, admissions, influenza-like illness, notifiable diseases and
/// injected outbreak cases). Rates are coarse, documented approximations; the point is realistic shape, not
/// epidemiology.
/// </summary>
internal sealed class HistoryGenerator
{
    // Month weights for influenza-like illness: winter peak and a smaller summer peak, the pattern of southern
    // China in the Chinese National Influenza Center weekly reports (approximate shape, not fitted).
    private static readonly WeightedTable<int> IliMonths = new(
        new[] { 18.0, 14, 8, 4, 3, 5, 6, 4, 3, 3, 8, 16 }.Select((w, i) => (i + 1, w)));

    private readonly SyntheticRegionOptions _options;
    private readonly RegionCatalog _catalog;
    private readonly PatientFactory _patients;
    private readonly IReadOnlyList<PlannedOutbreak> _outbreaks;
    private readonly DateOnly _windowStart;

    public HistoryGenerator(SyntheticRegionOptions options, RegionCatalog catalog, NameTables tables, IReadOnlyList<PlannedOutbreak> outbreaks)
    {
        _options = options;
        _catalog = catalog;
        _patients = new PatientFactory(tables, options.VariationShare);
        _outbreaks = outbreaks;
        _windowStart = options.ReferenceDate.AddYears(-options.HistoryYears);
    }

    public ResidentHistory Generate(Resident resident)
    {
        var random = DeterministicRandom.For(_options.Seed, RandomStream.History, resident.Index);
        var bundle = new BundleBuilder(random);
        var context = new HistoryContext(resident, random, bundle, _options.ReferenceDate);

        var identities = new List<IdentityLabel>(4);
        foreach (Institution institution in ChooseInstitutions(resident, random))
        {
            (Patient patient, string idState, IReadOnlyList<string> variations) = _patients.Create(resident, institution, random);
            string fullUrl = bundle.Add(patient, institution.Source);
            context.Records.Add(new PatientRecord(institution, fullUrl));
            identities.Add(new IdentityLabel(
                BundleBuilder.IdOf(fullUrl),
                resident.Key,
                institution.Id,
                institution.MrnSystem,
                PatientFactory.Mrn(resident.Index, institution),
                idState,
                variations,
                resident.Relation?.ToString()));
        }

        var outbreakCases = new List<OutbreakCaseLabel>();
        Immunizations(context);
        ChronicCare(context);
        AcuteVisits(context);
        Admissions(context);
        InfluenzaLikeIllness(context);
        Notifiable(context);
        OutbreakCases(context, outbreakCases);

        return new ResidentHistory(resident.Key, bundle.Bundle, identities, outbreakCases);
    }

    private List<Institution> ChooseInstitutions(Resident resident, DeterministicRandom random)
    {
        IReadOnlyList<Institution> primary = _catalog.PrimaryCare(resident.Home.Code);
        var chosen = new List<Institution>(4) { random.Pick(primary) };
        var candidates = new List<Institution>
        {
            _catalog.CountyHospital(resident.Home.Code),
            _catalog.CityHospital(resident.Home.CityCode),
            _catalog.ProvincialHospital,
        };
        double roll = random.NextDouble();
        int extra = roll < 0.4 ? 0 : roll < 0.75 ? 1 : roll < 0.93 ? 2 : 3;
        if (resident.AgeAt(_options.ReferenceDate) >= 60 && extra == 0 && random.Chance(0.5))
        {
            extra = 1;
        }

        for (int i = 0; i < extra; i++)
        {
            chosen.Add(candidates[i]);
        }

        return chosen;
    }

    private static void Immunizations(HistoryContext c)
    {
        PatientRecord record = c.PrimaryCare;
        foreach (Vaccine vaccine in ClinicalCodes.ChildhoodSchedule)
        {
            DateOnly due = c.Resident.BirthDate.AddMonths(vaccine.AgeMonths);
            if (due > c.Reference || c.Resident.AgeAt(c.Reference) > 14 || c.Random.Chance(0.03))
            {
                continue;
            }

            DateOnly given = due.AddDays(c.Random.Next(0, 21));
            if (given > c.Reference)
            {
                continue;
            }

            var coding = new List<Coding> { new(ClinicalCodes.NipVaccine, vaccine.NipCode, vaccine.Display) };
            if (vaccine.Cvx is not null)
            {
                coding.Add(new Coding(ClinicalCodes.Cvx, vaccine.Cvx));
            }

            var immunization = new Immunization
            {
                Status = Immunization.ImmunizationStatusCodes.Completed,
                VaccineCode = new CodeableConcept { Coding = coding, Text = vaccine.Display },
                Patient = FhirElements.Ref(record.FullUrl),
                Occurrence = FhirElements.At(given, 540 + c.Random.Next(0, 420)),
                PrimarySource = true,
                LotNumber = "L" + c.Random.Next(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Performer = [new Immunization.PerformerComponent { Actor = FhirElements.Ref(c.Practitioner(record)) }],
                ProtocolApplied = [new Immunization.ProtocolAppliedComponent { DoseNumber = new PositiveInt(vaccine.DoseNumber) }],
            };
            c.Bundle.Add(immunization, record.Institution.Source);
        }
    }

    private void ChronicCare(HistoryContext c)
    {
        int age = c.Resident.AgeAt(c.Reference);
        bool hypertension = c.Random.Chance(age switch { < 35 => 0.02, < 45 => 0.1, < 55 => 0.22, < 65 => 0.35, < 75 => 0.5, _ => 0.6 });
        bool diabetes = c.Random.Chance(age switch { < 35 => 0.01, < 45 => 0.05, < 55 => 0.1, < 65 => 0.17, _ => 0.2 });
        if (age < 18 || (!hypertension && !diabetes))
        {
            return;
        }

        PatientRecord record = c.PrimaryCare;
        DateOnly earliest = c.Resident.BirthDate.AddYears(30) > c.Reference.AddYears(-15) ? c.Resident.BirthDate.AddYears(30) : c.Reference.AddYears(-15);
        if (earliest > c.Reference.AddDays(-120))
        {
            earliest = c.Reference.AddDays(-400);
        }

        if (hypertension)
        {
            c.AddCondition(record, null, ClinicalCodes.Hypertension, "高血压", c.RandomDate(earliest, c.Reference.AddDays(-120)), "problem-list-item");
        }

        if (diabetes)
        {
            c.AddCondition(record, null, ClinicalCodes.Type2Diabetes, "2型糖尿病", c.RandomDate(earliest, c.Reference.AddDays(-120)), "problem-list-item");
        }

        Medication bpDrug = c.Random.Chance(0.6) ? ClinicalCodes.Amlodipine : ClinicalCodes.Losartan;
        for (int quarter = 3; quarter >= 0; quarter--)
        {
            DateOnly visit = c.Reference.AddDays(-(quarter * 91) - c.Random.Next(1, 60));
            string encounter = c.AddEncounter(record, "AMB", "ambulatory", "慢病随访", visit, visit);
            if (hypertension)
            {
                c.AddBloodPressure(record, encounter, visit, 142, 88);
                c.Prescribe(record, encounter, bpDrug, visit, _catalog.Pharmacy(c.Resident.Home.Code));
            }

            if (diabetes)
            {
                c.AddLabs(record, encounter, visit, null, [ClinicalCodes.FastingGlucose], 1.3, "血糖");
                if (quarter % 2 == 0)
                {
                    c.AddLabs(record, encounter, visit, ClinicalCodes.HbA1c.Code, [ClinicalCodes.HbA1c], 1.15, "糖化血红蛋白");
                }

                c.Prescribe(record, encounter, ClinicalCodes.Metformin, visit, _catalog.Pharmacy(c.Resident.Home.Code));
            }
        }
    }

    private void AcuteVisits(HistoryContext c)
    {
        for (int year = 0; year < _options.HistoryYears; year++)
        {
            if (!c.Random.Chance(0.45))
            {
                continue;
            }

            DateOnly day = c.RandomDate(c.Reference.AddYears(-(year + 1)), c.Reference.AddYears(-year).AddDays(-1));
            if (day < c.Resident.BirthDate)
            {
                continue;
            }

            PatientRecord record = c.Random.Pick(c.Records);
            ClinicalCode problem = c.Random.Pick(ClinicalCodes.OutpatientProblems);
            string encounter = c.AddEncounter(record, "AMB", "ambulatory", "门诊", day, day);
            c.AddCondition(record, encounter, problem, null, day, "encounter-diagnosis");
            if (record.Institution.IsHospital && c.Random.Chance(0.4))
            {
                c.AddLabs(record, encounter, day, ClinicalCodes.CbcPanel, ClinicalCodes.Cbc, 1.0, "血常规");
            }

            if (record.Institution.IsHospital && c.Random.Chance(0.25))
            {
                c.AddLabs(record, encounter, day, ClinicalCodes.ChemistryPanel, ClinicalCodes.Chemistry, 1.0, "生化全套");
            }

            Medication drug = problem.Value switch
            {
                "K29.7" => ClinicalCodes.Omeprazole,
                "J20.9" or "N39.0" => ClinicalCodes.Amoxicillin,
                _ => ClinicalCodes.Paracetamol,
            };
            c.Prescribe(record, encounter, drug, day, null);
        }
    }

    private void Admissions(HistoryContext c)
    {
        PatientRecord? hospital = c.Records.FirstOrDefault(r => r.Institution.IsHospital);
        if (hospital is null)
        {
            return;
        }

        for (int year = 0; year < _options.HistoryYears; year++)
        {
            DateOnly day = c.RandomDate(c.Reference.AddYears(-(year + 1)), c.Reference.AddYears(-year).AddDays(-15));
            int age = c.Resident.AgeAt(day);
            if (day < c.Resident.BirthDate)
            {
                continue;
            }

            if (c.Random.Chance(age >= 60 ? 0.08 : 0.02))
            {
                ClinicalCode problem = c.Random.Pick(ClinicalCodes.InpatientProblems);
                DateOnly discharge = day.AddDays(c.Random.Next(3, 12));
                string encounter = c.AddEncounter(hospital, "IMP", "inpatient encounter", "住院", day, discharge);
                c.AddCondition(hospital, encounter, problem, null, day, "encounter-diagnosis");
                c.AddLabs(hospital, encounter, day, ClinicalCodes.CbcPanel, ClinicalCodes.Cbc, problem.Value == "J18.9" ? 1.4 : 1.0, "血常规");
                c.AddLabs(hospital, encounter, day, ClinicalCodes.ChemistryPanel, ClinicalCodes.Chemistry, 1.1, "生化全套");
                bool pneumonia = problem.Value == "J18.9";
                c.AddImaging(hospital, encounter, day, pneumonia || c.Random.Chance(0.5) ? ClinicalCodes.ChestCt : ClinicalCodes.ChestXray, pneumonia);
                if (pneumonia)
                {
                    c.Prescribe(hospital, encounter, ClinicalCodes.Ceftriaxone, day, null);
                }
                else if (problem.Value.StartsWith('I'))
                {
                    c.Prescribe(hospital, encounter, ClinicalCodes.Aspirin, day, null);
                    c.Prescribe(hospital, encounter, ClinicalCodes.Atorvastatin, day, null);
                }
            }

            if (c.Random.Chance(0.03))
            {
                DateOnly emergencyDay = c.RandomDate(c.Reference.AddYears(-(year + 1)), c.Reference.AddYears(-year).AddDays(-1));
                if (emergencyDay < c.Resident.BirthDate)
                {
                    continue;
                }

                ClinicalCode problem = c.Random.Pick(ClinicalCodes.EmergencyProblems);
                string encounter = c.AddEncounter(hospital, "EMER", "emergency", "急诊", emergencyDay, emergencyDay);
                c.AddCondition(hospital, encounter, problem, null, emergencyDay, "encounter-diagnosis");
                if (c.Random.Chance(0.4))
                {
                    c.AddImaging(hospital, encounter, emergencyDay, ClinicalCodes.ChestXray, false);
                }
            }
        }
    }

    private void InfluenzaLikeIllness(HistoryContext c)
    {
        for (int year = c.Reference.Year - _options.HistoryYears; year <= c.Reference.Year; year++)
        {
            int age = c.Resident.AgeAt(new DateOnly(year, 1, 1));
            if (age < 0 || !c.Random.Chance(age < 15 ? 0.15 : age >= 65 ? 0.08 : 0.06))
            {
                continue;
            }

            int month = IliMonths.Draw(c.Random);
            DateOnly day = new DateOnly(year, month, 1).AddDays(c.Random.Next(0, 28));
            if (day <= _windowStart || day > c.Reference || day < c.Resident.BirthDate)
            {
                continue;
            }

            PatientRecord record = c.Random.Pick(c.Records);
            string encounter = c.AddEncounter(record, "AMB", "ambulatory", "发热门诊", day, day);
            c.AddTemperature(record, encounter, day);
            bool tested = c.Random.Chance(0.4);
            bool positive = tested && c.Random.Chance(0.35);
            if (tested)
            {
                c.AddAntigenTest(record, encounter, day, positive);
            }

            ClinicalCode diagnosis = positive ? ClinicalCodes.InfluenzaIdentified
                : c.Random.Chance(0.6) ? ClinicalCodes.InfluenzaUnidentified : ClinicalCodes.UpperRespiratoryInfection;
            c.AddCondition(record, encounter, diagnosis, null, day, "encounter-diagnosis");
            c.Prescribe(record, encounter, positive ? ClinicalCodes.Oseltamivir : ClinicalCodes.Paracetamol, day, null);
        }
    }

    private void Notifiable(HistoryContext c)
    {
        foreach ((ClinicalCode disease, double rate, int minAge, int maxAge) in ClinicalCodes.NotifiableBackground)
        {
            for (int year = 0; year < _options.HistoryYears; year++)
            {
                if (!c.Random.Chance(rate))
                {
                    continue;
                }

                DateOnly day = c.RandomDate(c.Reference.AddYears(-(year + 1)), c.Reference.AddYears(-year).AddDays(-1));
                int age = c.Resident.AgeAt(day);
                if (age < minAge || age > maxAge)
                {
                    continue;
                }

                c.AddNotifiableCase(c.CaseRecord, disease, day);
            }
        }
    }

    private void OutbreakCases(HistoryContext c, List<OutbreakCaseLabel> cases)
    {
        foreach (PlannedOutbreak outbreak in _outbreaks)
        {
            OutbreakDefinition definition = outbreak.Definition;
            if (c.Resident.Home.Code != definition.DivisionCode || c.Resident.Ethnicity == Ethnicity.Foreign)
            {
                continue;
            }

            // The draw happens for every resident of the county so that eligibility does not shift other streams.
            bool attacked = c.Random.Chance(outbreak.AttackProbability);
            int span = definition.End.DayNumber - definition.Start.DayNumber;
            DateOnly onset = definition.Start.AddDays(c.Random.Next(0, span + 1));
            int age = c.Resident.AgeAt(onset);
            if (!attacked || age < outbreak.MinAge || age > outbreak.MaxAge || onset > c.Reference)
            {
                continue;
            }

            PatientRecord record = c.CaseRecord;
            string condition = c.AddNotifiableCase(record, outbreak.Disease, onset);
            cases.Add(new OutbreakCaseLabel(definition.Id, BundleBuilder.IdOf(condition), BundleBuilder.IdOf(record.FullUrl), c.Resident.Key, onset));
        }
    }
}
