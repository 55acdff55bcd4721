using System.Net;
using System.Text.Json.Nodes;
using static OpenHip.Modules.Security.Tests.Attacks.Attack;

namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>The data-leak matrix: every case by name, grouped by category (the name's first segment).</summary>
public static class LeakMatrix
{
    private static readonly HttpStatusCode Ok = HttpStatusCode.OK;
    private static readonly HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private static readonly HttpStatusCode Forbidden = HttpStatusCode.Forbidden;

    public static readonly IReadOnlyDictionary<string, AttackCase> Cases = Build();

    private static IEnumerable<string> CompartmentTypes => Kinds.Select(k => k.Type).Where(t => t != "Patient");

    private static Dictionary<string, AttackCase> Build()
    {
        var cases = new Dictionary<string, AttackCase>(StringComparer.Ordinal);
        void Add(string name, AttackCase c) => cases.Add(name, c);
        AttackCase Get(string caller, string path, HttpStatusCode status, IReadOnlyList<string> markers, Action<string>? expect = null, string? bug = null) =>
            new(caller, HttpMethod.Get, path, status, markers) { Expect = expect, Bug = bug };

        string[] b = ResidentBMarkers;
        string[] bOrVital = [.. b, "\"id\":\"atk-a-vital"];
        string[] notPatient = [.. TypeMarkers(NonPatientTypes), .. TypeMarkers("Practitioner", "Organization"), "atk-a-lab", "atk-b-lab"];
        string[] notObservation = [.. TypeMarkers(NonObservationTypes), .. TypeMarkers("Practitioner", "Organization"), FamilyA, FamilyB];

        // 1. Resident A's patient token against B's record of every kind, on every read path.
        foreach ((string type, _) in Kinds)
        {
            string foreign = Ref(B, type);
            string own = Ref(A, type);
            Add($"PatientToken.Read.{type}.Own", Get(Caller.Patient, own, Ok, b, body => Assert.Contains(Id(A, type), body, StringComparison.Ordinal)));
            Add($"PatientToken.Read.{type}.Foreign", Get(Caller.Patient, foreign, NotFound, b));
            Add($"PatientToken.Vread.{type}.Foreign", Get(Caller.Patient, foreign + "/_history/1", NotFound, b));
            Add($"PatientToken.InstanceHistory.{type}.Foreign", Get(Caller.Patient, foreign + "/_history", NotFound, b));
            Add($"PatientToken.SearchById.{type}.Foreign", Get(Caller.Patient, $"{type}?_id={Id(B, type)}", Ok, b, Empty));
            Add($"PatientToken.SearchById.{type}.OwnAndForeign", Get(Caller.Patient, $"{type}?_id={Id(A, type)},{Id(B, type)}", Ok, b, body => Assert.Equal([own], EntryIds(body))));
            Add($"PatientToken.TypeSearch.{type}", Get(Caller.Patient, type, Ok, b, body => Assert.Contains(own, EntryIds(body))));
            Add($"PatientToken.TotalAccurate.{type}", Get(Caller.Patient, $"{type}?_total=accurate", Ok, b, TotalEqualsEntries));
            Add($"PatientToken.SummaryCount.{type}", Get(Caller.Patient, $"{type}?_summary=count", Ok, b) with { Then = f => CountEqualsVisibleAsync(f, Caller.Patient, type) });
            Add($"PatientToken.TypeHistory.{type}", Get(Caller.Patient, type + "/_history", Ok, b, NoTotal));
        }

        foreach (string type in CompartmentTypes)
        {
            Add($"PatientToken.CompartmentSearch.{type}.Foreign", Get(Caller.Patient, $"Patient/{B}/{type}", Ok, b, Empty));
        }

        // 2. The other search paths for the patient token.
        Add("PatientToken.SystemSearch.TypeList", Get(Caller.Patient, "?_type=Patient,Observation,Condition,DiagnosticReport", Ok, b, NotEmpty));
        Add("PatientToken.SystemSearch.NoType", Get(Caller.Patient, "?_count=500", Ok, b, NotEmpty));
        Add("PatientToken.SystemSearch.ForeignId", Get(Caller.Patient, $"?_id={B}", Ok, b, Empty));
        Add("PatientToken.SystemSearch.ForeignIdWithType", Get(Caller.Patient, $"?_type=Patient&_id={B}", Ok, b, Empty));
        Add("PatientToken.SystemSearch.ForeignFamilyTotal", Get(Caller.Patient, $"?_type=Patient&family={FamilyB}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Include.ObservationSubject", Get(Caller.Patient, "Observation?_include=Observation:subject", Ok, b, body => Assert.Contains($"Patient/{A}", EntryIds(body))));
        Add("PatientToken.Include.ForeignObservationSubject", Get(Caller.Patient, $"Observation?_id={Id(B, "Observation")}&_include=Observation:subject", Ok, b, Empty));
        Add("PatientToken.Include.MisfiledReportResult", Get(Caller.Patient, $"DiagnosticReport?_id={CrossReport}&_include=DiagnosticReport:result", Ok, b, body => Assert.Equal([$"DiagnosticReport/{CrossReport}", $"Observation/{A}-lab"], EntryIds(body))));
        Add("PatientToken.Include.WildcardOnMisfiledReport", Get(Caller.Patient, $"DiagnosticReport?_id={CrossReport}&_include=*", Ok, b, NotEmpty));
        Add("PatientToken.IncludeIterate.ReportResultSubject", Get(Caller.Patient, $"DiagnosticReport?_id={CrossReport}&_include=DiagnosticReport:result&_include:iterate=Observation:subject", Ok, b, body => Assert.Contains($"Patient/{A}", EntryIds(body))));
        Add("PatientToken.IncludeIterate.ReportResultEncounter", Get(Caller.Patient, "DiagnosticReport?_include=DiagnosticReport:result&_include:iterate=Observation:encounter", Ok, b, NotEmpty));
        Add("PatientToken.RevInclude.PatientObservations", Get(Caller.Patient, "Patient?_revinclude=Observation:subject", Ok, b, body => Assert.Contains($"Observation/{A}-lab", EntryIds(body))));
        Add("PatientToken.RevInclude.ForeignPatient", Get(Caller.Patient, $"Patient?_id={B}&_revinclude=Observation:subject&_revinclude=Condition:subject", Ok, b, Empty));
        Add("PatientToken.RevInclude.ObservationReports", Get(Caller.Patient, "Observation?_revinclude=DiagnosticReport:result", Ok, b, NotEmpty));
        Add("PatientToken.RevIncludeIterate.EncounterObservationReports", Get(Caller.Patient, "Encounter?_revinclude=Observation:encounter&_revinclude:iterate=DiagnosticReport:result", Ok, b, NotEmpty));
        Add("PatientToken.Chain.SubjectName", Get(Caller.Patient, $"Observation?subject:Patient.name={FamilyB}", Ok, b, Empty));
        Add("PatientToken.Chain.SubjectFamilyTotal", Get(Caller.Patient, $"Observation?subject:Patient.family={FamilyB}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Chain.ReportResultCode", Get(Caller.Patient, $"DiagnosticReport?result:Observation.code={LabCodeB}&_total=accurate", Ok, b, body => Assert.Equal(0, Total(body))));
        Add("PatientToken.Chain.ConditionSubjectGender", Get(Caller.Patient, "Condition?subject:Patient.gender=female&_total=accurate", Ok, b, body => Assert.Equal(1, Total(body))));
        Add("PatientToken.Has.ObservationCode", Get(Caller.Patient, $"Patient?_has:Observation:subject:code={LabCodeB}", Ok, b, Empty));
        Add("PatientToken.Has.ConditionCodeTotal", Get(Caller.Patient, $"Patient?_has:Condition:subject:code={ConditionCodeB}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Has.OwnObservationCode", Get(Caller.Patient, $"Patient?_has:Observation:subject:code={LabCodeA}", Ok, b, body => Assert.Equal([$"Patient/{A}"], EntryIds(body))));
        Add("PatientToken.Oracle.ForeignFamilyTotal", Get(Caller.Patient, $"Patient?family={FamilyB}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Oracle.ForeignLabCodeCount", Get(Caller.Patient, $"Observation?code={LabCodeB}&_summary=count", Ok, b, ZeroTotal));
        Add("PatientToken.Oracle.ForeignConditionCodeTotal", Get(Caller.Patient, $"Condition?code={ConditionCodeB}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Oracle.ForeignSubjectTotal", Get(Caller.Patient, $"Observation?subject=Patient/{B}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Oracle.ForeignBirthDateCount", Get(Caller.Patient, "Patient?birthdate=1970-01-02&_summary=count", Ok, b, ZeroTotal));
        Add("PatientToken.Sort.ObservationDateElements", Get(Caller.Patient, "Observation?_sort=-date&_elements=code,subject", Ok, b, NotEmpty));
        Add("PatientToken.Sort.PatientFamily", Get(Caller.Patient, "Patient?_sort=family&_elements=name", Ok, b, body => Assert.Equal([$"Patient/{A}"], EntryIds(body))));
        Add("PatientToken.Sort.ObservationValueCount1", Get(Caller.Patient, "Observation?_sort=value-quantity&_count=1", Ok, b, NotEmpty));
        Add("PatientToken.Elements.DiagnosticReportResult", Get(Caller.Patient, "DiagnosticReport?_elements=result,subject", Ok, b, NotEmpty));
        Add("PatientToken.SystemHistory", Get(Caller.Patient, "_history", Ok, b, NoTotal));
        Add("PatientToken.Everything.Own", Get(Caller.Patient, $"Patient/{A}/$everything", Ok, b, body => Assert.Contains($"Observation/{A}-lab", EntryIds(body))));
        Add("PatientToken.Everything.Foreign", Get(Caller.Patient, $"Patient/{B}/$everything", NotFound, b));
        Add("PatientToken.Everything.ForeignEncounter", Get(Caller.Patient, $"Encounter/{B}-enc/$everything", NotFound, b));
        Add("PatientToken.Batch.ForeignReads", new AttackCase(Caller.Patient, HttpMethod.Post, string.Empty, Ok, b)
        {
            Body = Batch("batch", ("GET", $"Observation/{B}-lab", null), ("GET", $"Patient/{B}", null), ("GET", $"DocumentReference/{B}-doc", null), ("GET", $"Observation/{A}-lab", null), ("GET", $"MedicationRequest/{B}-medrq", null)),
            Expect = body => Assert.Equal(["404", "404", "404", "200", "404"], EntryStatuses(body)),
        });
        Add("PatientToken.Batch.ForeignVreads", new AttackCase(Caller.Patient, HttpMethod.Post, string.Empty, Ok, b)
        {
            Body = Batch("batch", ("GET", $"Condition/{B}-cond/_history/1", null), ("GET", $"Patient/{B}/_history/1", null), ("GET", $"Condition/{A}-cond/_history/1", null)),
            Expect = body => Assert.Equal(["404", "404", "200"], EntryStatuses(body)),
        });
        Add("PatientToken.Operation.ValidateForeignBodyOnly", new AttackCase(Caller.Patient, HttpMethod.Post, $"Observation/{B}-lab/$validate", Ok, b) { Body = ObservationFor(A, "1-1") });
        Add("PatientToken.Operation.ValidateStoredForeign", Get(Caller.Patient, $"Observation/{B}-lab/$validate", NotFound, b));
        Add("PatientToken.Operation.ValidateStoredForeignPatient", Get(Caller.Patient, $"Patient/{B}/$validate", NotFound, b));
        Add("PatientToken.Operation.ValidateStoredOwn", Get(Caller.Patient, $"Observation/{A}-lab/$validate", Ok, b));
        Add("PatientToken.Operation.Match", new AttackCase(Caller.Patient, HttpMethod.Post, "Patient/$match", Forbidden, b)
        {
            Body = $$$"""{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","name":[{"family":"{{{FamilyB}}}"}]}}]}""",
        });
        Add("PatientToken.Write.ReadOnlyTokenCreate", new AttackCase(Caller.Patient, HttpMethod.Post, "Observation", Forbidden, b) { Body = ObservationFor(A, "1-2"), Then = BUnchanged });

        // 2b. Modifiers, summaries, formats and paging for the patient token.
        string[] bXml = ["<id value=\"atk-b", "Patient/atk-b", FamilyB];
        Add("PatientToken.Modifier.IdNot", Get(Caller.Patient, $"Patient?_id:not={A}", Ok, b, Empty));
        Add("PatientToken.Modifier.CodeNot", Get(Caller.Patient, $"Observation?code:not={LabCodeA}&_total=accurate", Ok, b, TotalEqualsEntries));
        Add("PatientToken.Modifier.SubjectMissing", Get(Caller.Patient, "Observation?subject:missing=false&_total=accurate", Ok, b, TotalEqualsEntries));
        Add("PatientToken.Modifier.PatientParameterForeign", Get(Caller.Patient, $"Observation?patient={B}", Ok, b, Empty));
        Add("PatientToken.Modifier.FamilyExact", Get(Caller.Patient, $"Patient?family:exact={FamilyB}&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Modifier.FamilyContains", Get(Caller.Patient, "Patient?family:contains=yxw&_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.Modifier.NameContainsAny", Get(Caller.Patient, "Patient?name:contains=e", Ok, b, body => Assert.Equal([$"Patient/{A}"], EntryIds(body))));
        Add("PatientToken.Summary.True", Get(Caller.Patient, "Patient?_summary=true", Ok, b, NotEmpty));
        Add("PatientToken.Summary.Data", Get(Caller.Patient, "Observation?_summary=data", Ok, b, NotEmpty));
        Add("PatientToken.Summary.SystemCount", Get(Caller.Patient, "?_type=Observation,Condition&_summary=count", Ok, b) with { Then = SystemCountEqualsVisibleAsync });
        Add("PatientToken.Summary.ForeignIdCount", Get(Caller.Patient, $"Patient?_id={B}&_summary=count", Ok, b, ZeroTotal));
        Add("PatientToken.Compartment.OwnFilteredByForeignSubject", Get(Caller.Patient, $"Patient/{A}/Observation?subject=Patient/{B}", Ok, b, Empty));
        Add("PatientToken.Compartment.ForeignWithTotal", Get(Caller.Patient, $"Patient/{B}/Condition?_total=accurate", Ok, b, ZeroTotal));
        Add("PatientToken.History.SystemSince", Get(Caller.Patient, "_history?_since=2000-01-01T00:00:00Z&_count=500", Ok, b, NoTotal));
        Add("PatientToken.History.TypeCount1", Get(Caller.Patient, "Observation/_history?_count=1", Ok, b, NoTotal));
        Add("PatientToken.Xml.ReadForeign", Get(Caller.Patient, $"Observation/{B}-lab?_format=xml", NotFound, [FamilyB, "value=\"atk-b"]));
        Add("PatientToken.Xml.TypeSearch", Get(Caller.Patient, "Observation?_format=xml", Ok, bXml));
        Add("PatientToken.Xml.SystemHistory", Get(Caller.Patient, "_history?_format=xml", Ok, bXml));
        Add("PatientToken.Xml.EverythingOwn", Get(Caller.Patient, $"Patient/{A}/$everything?_format=xml", Ok, bXml));
        Add("PatientToken.Paging.AllObservationPages", Get(Caller.Patient, "Observation?_count=1", Ok, b) with { Then = f => PagesHoldNoForeignDataAsync(f, "Observation?_count=1") });
        Add("PatientToken.Paging.SystemSearchPages", Get(Caller.Patient, "?_type=Observation,DiagnosticReport,Patient&_count=2", Ok, b) with { Then = f => PagesHoldNoForeignDataAsync(f, "?_type=Observation,DiagnosticReport,Patient&_count=2") });
        Add("PatientToken.Paging.HistoryPages", Get(Caller.Patient, "_history?_count=3", Ok, b) with { Then = f => PagesHoldNoForeignDataAsync(f, "_history?_count=3") });
        Add("PatientToken.Include.TypedSubject", Get(Caller.Patient, "Observation?_include=Observation:subject:Patient&_include=Observation:encounter", Ok, b, NotEmpty));
        Add("PatientToken.Include.DirectoryTargets", Get(Caller.Patient, "Patient?_include=Patient:general-practitioner&_include=Patient:organization", Ok, [.. b, "dir-prac-2", "dir-org-2"], body => Assert.Contains("Practitioner/dir-prac-1", EntryIds(body))));
        Add("PatientToken.Directory.PractitionerSearch", Get(Caller.Patient, "Practitioner", Ok, b, body => Assert.Equal(2, EntryIds(body).Count)));
        Add("PatientToken.Directory.ReverseFromPractitioner", Get(Caller.Patient, "Practitioner?_id=dir-prac-2&_revinclude=Patient:general-practitioner&_revinclude=MedicationRequest:requester", Ok, b, body => Assert.Equal(["Practitioner/dir-prac-2"], EntryIds(body))));
        Add("PatientToken.Directory.HasFromPractitioner", Get(Caller.Patient, $"Practitioner?_has:Patient:general-practitioner:family={FamilyB}", Ok, b, Empty));
        Add("PatientToken.Directory.ChainFromPatient", Get(Caller.Patient, "Patient?general-practitioner:Practitioner.family=Dalton", Ok, b, Empty));
        Add("PatientToken.Write.ReadOnlyTokenUpdateOwn", new AttackCase(Caller.Patient, HttpMethod.Put, $"Observation/{A}-lab", Forbidden, b) { Body = ObservationFor(A, "1-12", id: $"{A}-lab") });
        Add("PatientToken.Write.ReadOnlyTokenDeleteOwn", new AttackCase(Caller.Patient, HttpMethod.Delete, $"Observation/{A}-lab", Forbidden, b));
        Add("PatientWriter.Directory.UpdateVisiblePractitioner", new AttackCase(Caller.PatientWriter, HttpMethod.Put, "Practitioner/dir-prac-2", Forbidden, b) { Body = """{"resourceType":"Practitioner","id":"dir-prac-2","name":[{"family":"Hijacked"}]}""", Then = DirectoryUnchanged });
        Add("PatientWriter.Directory.DeleteVisiblePractitioner", new AttackCase(Caller.PatientWriter, HttpMethod.Delete, "Practitioner/dir-prac-2", Forbidden, b) { Then = DirectoryUnchanged });
        Add("PatientWriter.Directory.CreatePractitioner", new AttackCase(Caller.PatientWriter, HttpMethod.Post, "Practitioner", Forbidden, b) { Body = """{"resourceType":"Practitioner","name":[{"family":"Planted"}]}""" });
        Add("PatientWriter.Directory.UpdateVisibleOrganization", new AttackCase(Caller.PatientWriter, HttpMethod.Put, "Organization/dir-org-2", Forbidden, b) { Body = """{"resourceType":"Organization","id":"dir-org-2","name":"Hijacked"}""", Then = DirectoryUnchanged });

        // 3. Write attacks by resident A (patient/*.cruds) into B's compartment: nothing of B may change.
        Add("PatientWriter.Update.ForeignObservation", new AttackCase(Caller.PatientWriter, HttpMethod.Put, $"Observation/{B}-lab", NotFound, b) { Body = ObservationFor(A, "1-3", id: $"{B}-lab"), Then = BUnchanged });
        Add("PatientWriter.Update.ForeignPatient", new AttackCase(Caller.PatientWriter, HttpMethod.Put, $"Patient/{B}", NotFound, b) { Body = $$$"""{"resourceType":"Patient","id":"{{{B}}}","name":[{"family":"Hijacked"}]}""", Then = BUnchanged });
        Add("PatientWriter.Update.MoveOwnIntoForeign", new AttackCase(Caller.PatientWriter, HttpMethod.Put, $"Condition/{A}-cond", Forbidden, b) { Body = $$$"""{"resourceType":"Condition","id":"{{{A}}}-cond","code":{"text":"moved"},"subject":{"reference":"Patient/{{{B}}}"}}""", Then = BUnchanged });
        Add("PatientWriter.Delete.ForeignObservation", new AttackCase(Caller.PatientWriter, HttpMethod.Delete, $"Observation/{B}-lab", NotFound, b) { Then = BUnchanged });
        Add("PatientWriter.Delete.ForeignPatient", new AttackCase(Caller.PatientWriter, HttpMethod.Delete, $"Patient/{B}", NotFound, b) { Then = BUnchanged });
        Add("PatientWriter.Patch.ForeignObservation", new AttackCase(Caller.PatientWriter, HttpMethod.Patch, $"Observation/{B}-lab", NotFound, b) { Body = JsonPatch, ContentType = "application/json-patch+json", Then = BUnchanged });
        Add("PatientWriter.Create.IntoForeignCompartment", new AttackCase(Caller.PatientWriter, HttpMethod.Post, "Observation", Forbidden, b) { Body = ObservationFor(B, "1-4"), Then = BUnchanged });
        Add("PatientWriter.Transaction.CreateAndUpdateInForeignCompartment", new AttackCase(Caller.PatientWriter, HttpMethod.Post, string.Empty, Forbidden, b)
        {
            Body = Batch("transaction", ("POST", "Observation", ObservationFor(A, "1-5")), ("POST", "Observation", ObservationFor(B, "1-6"))),
            Then = async f =>
            {
                await BUnchanged(f);
                (_, string own) = await f.SendAsync(Caller.HospitalA, HttpMethod.Get, "Observation?code=1-5&_total=accurate");
                Assert.Equal(0, Total(own));
            },
        });
        Add("PatientWriter.Transaction.PutForeignId", new AttackCase(Caller.PatientWriter, HttpMethod.Post, string.Empty, NotFound, b)
        {
            Body = Batch("transaction", ("PUT", $"Observation/{B}-vital", ObservationFor(A, "1-7", id: $"{B}-vital"))),
            Then = BUnchanged,
        });
        Add("PatientWriter.Transaction.DeleteForeign", new AttackCase(Caller.PatientWriter, HttpMethod.Post, string.Empty, NotFound, b)
        {
            Body = Batch("transaction", ("DELETE", $"Condition/{B}-cond", null)),
            Then = BUnchanged,
        });
        Add("PatientWriter.Batch.DeleteForeign", new AttackCase(Caller.PatientWriter, HttpMethod.Post, string.Empty, Ok, b)
        {
            Body = Batch("batch", ("DELETE", $"Condition/{B}-cond", null), ("PUT", $"Procedure/{B}-proc", $$$"""{"resourceType":"Procedure","id":"{{{B}}}-proc","status":"unknown","subject":{"reference":"Patient/{{{A}}}"}}""")),
            Expect = body => Assert.Equal(["404", "404"], EntryStatuses(body)),
            Then = BUnchanged,
        });
        Add("PatientWriter.ConditionalDelete.ForeignId", new AttackCase(Caller.PatientWriter, HttpMethod.Delete, $"Observation?_id={B}-lab", HttpStatusCode.NoContent, b) { Then = BUnchanged });
        Add("PatientWriter.ConditionalDelete.ForeignCode", new AttackCase(Caller.PatientWriter, HttpMethod.Delete, $"Condition?code={ConditionCodeB}", HttpStatusCode.NoContent, b) { Then = BUnchanged });
        Add("PatientWriter.ConditionalUpdate.ForeignIdIntoForeignCompartment", new AttackCase(Caller.PatientWriter, HttpMethod.Put, $"Observation?_id={B}-lab", Forbidden, b) { Body = ObservationFor(B, "1-8"), Then = BUnchanged });
        Add("PatientWriter.ConditionalUpdate.OnlyMatchHidden", new AttackCase(Caller.PatientWriter, HttpMethod.Put, $"Observation?code={LabCodeB}", HttpStatusCode.Conflict, b) { Body = ObservationFor(A, "1-9"), Then = BUnchanged });
        Add("PatientWriter.ConditionalPatch.ForeignCodeNotSupported", new AttackCase(Caller.PatientWriter, HttpMethod.Patch, $"Observation?code={LabCodeB}", HttpStatusCode.MethodNotAllowed, b) { Body = JsonPatch, ContentType = "application/json-patch+json", Then = BUnchanged });
        Add("PatientWriter.ConditionalCreate.OnlyMatchHidden", new AttackCase(Caller.PatientWriter, HttpMethod.Post, "Observation", HttpStatusCode.Conflict, b)
        {
            Body = ObservationFor(A, "1-10"),
            Headers = new Dictionary<string, string> { ["If-None-Exist"] = $"code={LabCodeB}" },
            Then = async f =>
            {
                await BUnchanged(f);
                (_, string own) = await f.SendAsync(Caller.HospitalA, HttpMethod.Get, "Observation?code=1-10&_total=accurate");
                Assert.Equal(0, Total(own));
            },
        });
        Add("PatientWriter.ConditionalCreate.ForeignIdHidden", new AttackCase(Caller.PatientWriter, HttpMethod.Post, "Observation", HttpStatusCode.Conflict, b)
        {
            Body = ObservationFor(A, "1-11"),
            Headers = new Dictionary<string, string> { ["If-None-Exist"] = $"_id={B}-lab" },
            Then = BUnchanged,
        });

        // 4. The granular lab token: only A's laboratory Observation exists for it.
        Add("LabScope.Read.OwnLab", Get(Caller.LabOnly, $"Observation/{A}-lab", Ok, bOrVital));
        Add("LabScope.Read.OwnVitalOutsideCategory", Get(Caller.LabOnly, $"Observation/{A}-vital", NotFound, bOrVital));
        Add("LabScope.Read.ForeignLab", Get(Caller.LabOnly, $"Observation/{B}-lab", NotFound, bOrVital));
        Add("LabScope.Vread.OwnVital", Get(Caller.LabOnly, $"Observation/{A}-vital/_history/1", NotFound, bOrVital));
        Add("LabScope.TypeSearch.Observation", Get(Caller.LabOnly, "Observation", Ok, bOrVital, body => Assert.Equal([$"Observation/{A}-lab"], EntryIds(body))));
        Add("LabScope.TotalAccurate.Observation", Get(Caller.LabOnly, "Observation?_total=accurate", Ok, bOrVital, body => Assert.Equal(1, Total(body))));
        Add("LabScope.SummaryCount.VitalSigns", Get(Caller.LabOnly, "Observation?category=vital-signs&_summary=count", Ok, bOrVital, ZeroTotal));
        Add("LabScope.TypeHistory.Observation", Get(Caller.LabOnly, "Observation/_history", Ok, bOrVital, NoTotal));
        Add("LabScope.Include.SubjectNotReadable", Get(Caller.LabOnly, "Observation?_include=Observation:subject", Ok, [.. bOrVital, .. TypeMarkers("Patient")]));
        Add("LabScope.RevInclude.ReportsNotReadable", Get(Caller.LabOnly, "Observation?_revinclude=DiagnosticReport:result", Ok, [.. bOrVital, .. TypeMarkers("DiagnosticReport")]));
        Add("LabScope.Chain.ThroughPatient", Get(Caller.LabOnly, $"Observation?subject:Patient.family={FamilyA}", Forbidden, bOrVital));
        Add("LabScope.SystemSearch.Observation", Get(Caller.LabOnly, "?_type=Observation", Ok, bOrVital, body => Assert.Equal([$"Observation/{A}-lab"], EntryIds(body))));
        Add("LabScope.SystemSearch.WithPatient", Get(Caller.LabOnly, "?_type=Observation,Patient", Forbidden, bOrVital));
        Add("LabScope.Read.Patient", Get(Caller.LabOnly, $"Patient/{A}", Forbidden, bOrVital));
        Add("LabScope.Read.Condition", Get(Caller.LabOnly, $"Condition/{A}-cond", Forbidden, bOrVital));
        Add("LabScope.Everything.Own", Get(Caller.LabOnly, $"Patient/{A}/$everything", Forbidden, bOrVital));

        // 5. The practitioner (user/*.rs) may read everyone but change nothing.
        Add("Practitioner.Read.ForeignPatient", Get(Caller.Practitioner, $"Patient/{B}", Ok, [], body => Assert.Contains(FamilyB, body, StringComparison.Ordinal)));
        Add("Practitioner.Everything.B", Get(Caller.Practitioner, $"Patient/{B}/$everything", Ok, [FamilyA, "\"id\":\"atk-a"]));
        Add("Practitioner.Compartment.BObservations", Get(Caller.Practitioner, $"Patient/{B}/Observation", Ok, ["\"id\":\"atk-a"], body => Assert.Equal(2, EntryIds(body).Count)));
        Add("Practitioner.Update.Observation", new AttackCase(Caller.Practitioner, HttpMethod.Put, $"Observation/{B}-lab", Forbidden, []) { Body = ObservationFor(B, "2-1", id: $"{B}-lab"), Then = BUnchanged });
        Add("Practitioner.Create.Observation", new AttackCase(Caller.Practitioner, HttpMethod.Post, "Observation", Forbidden, []) { Body = ObservationFor(B, "2-2"), Then = BUnchanged });
        Add("Practitioner.Delete.Condition", new AttackCase(Caller.Practitioner, HttpMethod.Delete, $"Condition/{B}-cond", Forbidden, []) { Then = BUnchanged });
        Add("Practitioner.Patch.Observation", new AttackCase(Caller.Practitioner, HttpMethod.Patch, $"Observation/{B}-lab", Forbidden, []) { Body = JsonPatch, ContentType = "application/json-patch+json", Then = BUnchanged });
        Add("Practitioner.ConditionalDelete.Observation", new AttackCase(Caller.Practitioner, HttpMethod.Delete, $"Observation?subject=Patient/{B}", Forbidden, []) { Then = BUnchanged });
        Add("Practitioner.ConditionalUpdate.Observation", new AttackCase(Caller.Practitioner, HttpMethod.Put, $"Observation?_id={B}-lab", Forbidden, []) { Body = ObservationFor(B, "2-3"), Then = BUnchanged });
        Add("Practitioner.Transaction.Write", new AttackCase(Caller.Practitioner, HttpMethod.Post, string.Empty, Forbidden, [])
        {
            Body = Batch("transaction", ("DELETE", $"Condition/{B}-cond", null), ("POST", "Observation", ObservationFor(B, "2-4"))),
            Then = BUnchanged,
        });

        // 6. The Patient-only backend client: Patients of everyone, nothing else, not even through includes.
        AddUnscopedTypes("PatientOnlySystem", Caller.Registry, CompartmentTypes, notPatient);

        Add("PatientOnlySystem.Read.Patient", Get(Caller.Registry, $"Patient/{B}", Ok, notPatient));
        Add("PatientOnlySystem.Search.Patient", Get(Caller.Registry, "Patient?_total=accurate", Ok, notPatient, TotalEqualsEntries));
        Add("PatientOnlySystem.RevInclude.Observations", Get(Caller.Registry, "Patient?_revinclude=Observation:subject", Ok, notPatient, NotEmpty));
        Add("PatientOnlySystem.Include.GeneralPractitioner", Get(Caller.Registry, "Patient?_include=Patient:general-practitioner&_include=Patient:organization", Ok, notPatient, NotEmpty));
        Add("PatientOnlySystem.Has.ObservationCode", Get(Caller.Registry, $"Patient?_has:Observation:subject:code={LabCodeB}", Forbidden, notPatient));
        Add("PatientOnlySystem.Chain.OrganizationName", Get(Caller.Registry, "Patient?organization:Organization.name=Hospital", Forbidden, notPatient));
        Add("PatientOnlySystem.Compartment.Observation", Get(Caller.Registry, $"Patient/{B}/Observation", Forbidden, notPatient));
        Add("PatientOnlySystem.SystemSearch.NoType", Get(Caller.Registry, "?_count=500", Ok, notPatient, NotEmpty));
        Add("PatientOnlySystem.SystemSearch.ObservationType", Get(Caller.Registry, "?_type=Observation", Forbidden, notPatient));
        Add("PatientOnlySystem.SystemSearch.MixedTypes", Get(Caller.Registry, "?_type=Patient,Condition", Forbidden, notPatient));
        Add("PatientOnlySystem.SystemHistory", Get(Caller.Registry, "_history", Ok, notPatient, NotEmpty));
        Add("PatientOnlySystem.TypeHistory.Observation", Get(Caller.Registry, "Observation/_history", Forbidden, notPatient));
        Add("PatientOnlySystem.Everything.OnlyThePatient", Get(Caller.Registry, $"Patient/{B}/$everything", Ok, notPatient, body => Assert.Equal([$"Patient/{B}"], EntryIds(body))));
        Add("PatientOnlySystem.Batch.ObservationRead", new AttackCase(Caller.Registry, HttpMethod.Post, string.Empty, Ok, notPatient)
        {
            Body = Batch("batch", ("GET", $"Observation/{B}-lab", null), ("GET", $"Patient/{B}", null), ("GET", $"Condition/{B}-cond", null)),
            Expect = body => Assert.Equal(["403", "200", "403"], EntryStatuses(body)),
        });
        Add("PatientOnlySystem.Update.Patient", new AttackCase(Caller.Registry, HttpMethod.Put, $"Patient/{B}", Forbidden, notPatient) { Body = $$$"""{"resourceType":"Patient","id":"{{{B}}}","name":[{"family":"Hijacked"}]}""", Then = BUnchanged });
        Add("PatientOnlySystem.ConditionalDelete.Patient", new AttackCase(Caller.Registry, HttpMethod.Delete, $"Patient?family={FamilyB}", Forbidden, notPatient) { Then = BUnchanged });

        // 7. The Observation-only backend client.
        AddUnscopedTypes("ObservationOnlySystem", Caller.LabFeed, NonObservationTypes, notObservation);

        Add("ObservationOnlySystem.Read.Observation", Get(Caller.LabFeed, $"Observation/{B}-lab", Ok, notObservation));
        Add("ObservationOnlySystem.Search.TotalAccurate", Get(Caller.LabFeed, "Observation?_total=accurate", Ok, notObservation, TotalEqualsEntries));
        Add("ObservationOnlySystem.Include.Subject", Get(Caller.LabFeed, "Observation?_include=Observation:subject", Ok, notObservation, NotEmpty));
        Add("ObservationOnlySystem.IncludeIterate.EncounterSubject", Get(Caller.LabFeed, "Observation?_include=Observation:encounter&_include:iterate=Encounter:subject", Ok, notObservation, NotEmpty));
        Add("ObservationOnlySystem.RevInclude.Reports", Get(Caller.LabFeed, "Observation?_revinclude=DiagnosticReport:result", Ok, notObservation, NotEmpty));
        Add("ObservationOnlySystem.Chain.SubjectFamily", Get(Caller.LabFeed, $"Observation?subject:Patient.family={FamilyB}", Forbidden, notObservation));
        Add("ObservationOnlySystem.Has.Report", Get(Caller.LabFeed, "Observation?_has:DiagnosticReport:result:status=final", Forbidden, notObservation));
        Add("ObservationOnlySystem.SystemSearch.NoType", Get(Caller.LabFeed, "?_count=500", Ok, notObservation, NotEmpty));
        Add("ObservationOnlySystem.SystemSearch.PatientType", Get(Caller.LabFeed, "?_type=Patient", Forbidden, notObservation));
        Add("ObservationOnlySystem.SystemHistory", Get(Caller.LabFeed, "_history", Ok, notObservation, NotEmpty));
        Add("ObservationOnlySystem.Everything.B", Get(Caller.LabFeed, $"Patient/{B}/$everything", Forbidden, notObservation));
        Add("ObservationOnlySystem.Update.Observation", new AttackCase(Caller.LabFeed, HttpMethod.Put, $"Observation/{B}-lab", Forbidden, notObservation) { Body = ObservationFor(B, "3-1", id: $"{B}-lab"), Then = BUnchanged });
        Add("ObservationOnlySystem.Operation.ValidatePatient", new AttackCase(Caller.LabFeed, HttpMethod.Post, $"Patient/{B}/$validate", Forbidden, notObservation) { Body = $$$"""{"resourceType":"Patient","id":"{{{B}}}"}""" });
        return cases;

        // A backend client reading or searching a type it holds no scope for: 403, existing record or not.
        void AddUnscopedTypes(string prefix, string caller, IEnumerable<string> types, string[] markers)
        {
            foreach (string type in types)
            {
                Add($"{prefix}.Read.{type}", Get(caller, Ref(B, type), Forbidden, markers));
                Add($"{prefix}.TypeSearch.{type}", Get(caller, type, Forbidden, markers));
            }
        }
    }

    private const string JsonPatch = """[{"op":"replace","path":"/status","value":"entered-in-error"}]""";

    public static string ObservationFor(string patient, string code, string? id = null)
    {
        var observation = new JsonObject { ["resourceType"] = "Observation" };
        if (id is not null)
        {
            observation["id"] = id;
        }

        observation["status"] = "final";
        observation["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "urn:test:attack", ["code"] = code }) };
        observation["subject"] = new JsonObject { ["reference"] = "Patient/" + patient };
        return observation.ToJsonString();
    }

    private static string Batch(string type, params (string Method, string Url, string? Resource)[] entries)
    {
        var array = new JsonArray();
        foreach ((string method, string url, string? resource) in entries)
        {
            var entry = new JsonObject { ["request"] = new JsonObject { ["method"] = method, ["url"] = url } };
            if (resource is not null)
            {
                entry["resource"] = JsonNode.Parse(resource);
                if (method == "POST")
                {
                    entry["fullUrl"] = "urn:uuid:" + Guid.NewGuid();
                }
            }

            array.Add(entry);
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = type, ["entry"] = array }.ToJsonString();
    }

    private static List<string> EntryStatuses(string body) =>
        [.. JsonNode.Parse(body)!["entry"]!.AsArray().Select(e => ((string)e!["response"]!["status"]!).Split(' ')[0])];

    private static void Empty(string body) => Assert.Empty(EntryIds(body));

    private static void NotEmpty(string body) => Assert.NotEmpty(EntryIds(body));

    private static void ZeroTotal(string body) => Assert.Equal(0, Total(body));

    private static void NoTotal(string body) => Assert.Null(Total(body));

    private static void TotalEqualsEntries(string body) => Assert.Equal(EntryIds(body).Count, Total(body));

    /// <summary>_summary=count gives exactly the number of resources the same caller's search returns.</summary>
    private static async Task CountEqualsVisibleAsync(AttackFixture fixture, string caller, string type)
    {
        (_, string count) = await fixture.SendAsync(caller, HttpMethod.Get, $"{type}?_summary=count");
        (_, string all) = await fixture.SendAsync(caller, HttpMethod.Get, $"{type}?_count=1000");
        Assert.Equal(EntryIds(all).Count, Total(count));
        Assert.True(Total(count) > 0);
    }

    private static async Task SystemCountEqualsVisibleAsync(AttackFixture fixture)
    {
        (_, string count) = await fixture.SendAsync(Caller.Patient, HttpMethod.Get, "?_type=Observation,Condition&_summary=count");
        (_, string all) = await fixture.SendAsync(Caller.Patient, HttpMethod.Get, "?_type=Observation,Condition&_count=1000");
        Assert.Equal(EntryIds(all).Count, Total(count));
    }

    /// <summary>Follows every next link from the first page: no page holds B's data, and the pages end.</summary>
    private static async Task PagesHoldNoForeignDataAsync(AttackFixture fixture, string first)
    {
        string? path = first;
        int pages = 0;
        while (path is not null)
        {
            (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.Patient, HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, status);
            AssertNoLeak(body, ResidentBMarkers, $"page {pages} of {first}");
            string? next = JsonNode.Parse(body)!["link"]?.AsArray().FirstOrDefault(l => (string?)l!["relation"] == "next")?["url"]?.ToString();
            path = next is null ? null : next[fixture.Server.FhirBase.Length..].TrimStart('/');
            Assert.True(++pages < 50, "paging does not end");
        }

        Assert.True(pages > 1, "expected several pages");
    }

    /// <summary>The directory resources are as hospital A wrote them.</summary>
    private static async Task DirectoryUnchanged(AttackFixture fixture)
    {
        foreach (string reference in new[] { "Practitioner/dir-prac-2", "Organization/dir-org-2" })
        {
            (HttpStatusCode status, string? version, string body) = await fixture.OwnerReadAsync(reference);
            Assert.True(status == HttpStatusCode.OK && version == "1", $"{reference} changed: {(int)status} v{version} {Shorten(body)}");
        }
    }

    /// <summary>Every one of B's records as hospital B wrote it: present, version 1, not changed.</summary>
    public static async Task BUnchanged(AttackFixture fixture)
    {
        foreach ((string type, _) in Kinds)
        {
            (HttpStatusCode status, string? version, string body) = await fixture.OwnerReadAsync(Ref(B, type));
            Assert.True(status == HttpStatusCode.OK && version == "1", $"{Ref(B, type)} changed: {(int)status} v{version} {Shorten(body)}");
        }

        (_, string observations) = await fixture.SendAsync(Caller.HospitalB, HttpMethod.Get, $"Observation?subject=Patient/{B}&_total=accurate");
        Assert.Equal(2, Total(observations));
        (HttpStatusCode vitalStatus, string? vitalVersion, _) = await fixture.OwnerReadAsync($"Observation/{B}-vital");
        Assert.True(vitalStatus == HttpStatusCode.OK && vitalVersion == "1", $"Observation/{B}-vital changed: v{vitalVersion}");
    }
}
