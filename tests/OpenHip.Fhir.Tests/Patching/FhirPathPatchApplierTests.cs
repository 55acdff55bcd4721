using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Patching;
using Xunit;

namespace OpenHip.Fhir.Tests.Patching;

public sealed class FhirPathPatchApplierTests
{
    [Fact]
    public void Add_SpecExampleBirthDate_AddsElement()
    {
        var patient = new Patient { Id = "p1" };

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("add", "Patient", name: "birthDate", value: new Date("1930-01-01"))));

        Assert.Equal("1930-01-01", result.BirthDate);
    }

    [Fact]
    public void Add_SpecExampleContactFromParts_BuildsBackboneElement()
    {
        var patient = new Patient { Id = "p1" };
        Parameters.ParameterComponent operation = Operation("add", "Patient", name: "contact");
        operation.Part.Add(Part("value", Part("name", new HumanName { Text = "a name" })));

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(operation));

        Patient.ContactComponent contact = Assert.Single(result.Contact);
        Assert.Equal("a name", contact.Name?.Text);
    }

    [Fact]
    public void Add_IdentifierFromNestedParts_BuildsDatatype()
    {
        Patient patient = SamplePatient();
        Parameters.ParameterComponent operation = Operation("add", "Patient", name: "identifier");
        operation.Part.Add(Part(
            "value",
            Part("system", new FhirUri("urn:oid:1.2.36.146.595.217.0.1")),
            Part("value", new FhirString("12345")),
            Part("type", Part("text", new FhirString("Medical record number")))));

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(operation));

        Assert.Equal(2, result.Identifier.Count);
        Identifier added = result.Identifier[1];
        Assert.Equal("urn:oid:1.2.36.146.595.217.0.1", added.System);
        Assert.Equal("12345", added.Value);
        Assert.Equal("Medical record number", added.Type?.Text);
    }

    [Fact]
    public void Add_TelecomToRepeatingElement_Appends()
    {
        Patient patient = SamplePatient();
        var phone = new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "555-0199");

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("add", "Patient", name: "telecom", value: phone)));

        Assert.Equal(["555-0100", "555-0199"], result.Telecom.Select(t => t.Value));
        Assert.Single(patient.Telecom);
    }

    [Fact]
    public void Add_GivenNameToSelectedName_Appends()
    {
        Patient patient = SamplePatient();

        var result = (Patient)FhirPathPatchApplier.Apply(
            patient,
            Patch(Operation("add", "Patient.name.where(use = 'official')", name: "given", value: new FhirString("Jr"))));

        Assert.Equal(["Peter", "James", "Jr"], result.Name[0].Given);
        Assert.Equal(["Jim"], result.Name[1].Given);
    }

    [Fact]
    public void Add_BoundCodeGivenAsValueCode_SetsEnum()
    {
        var observation = new Observation { Code = new CodeableConcept("http://loinc.org", "8480-6") };

        var result = (Observation)FhirPathPatchApplier.Apply(observation, Patch(Operation("add", "Observation", name: "status", value: new Code("final"))));

        Assert.Equal(ObservationStatus.Final, result.Status);
    }

    [Fact]
    public void Add_InvalidCodeForBinding_Unprocessable()
    {
        var observation = new Observation();

        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(observation, Patch(Operation("add", "Observation", name: "status", value: new Code("nonsense")))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_ExistingSingleElement_Unprocessable()
    {
        Patient patient = SamplePatient();

        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(patient, Patch(Operation("add", "Patient", name: "birthDate", value: new Date("1930-01-01")))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_UnknownElementName_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("add", "Patient", name: "shoeSize", value: new Integer(44)))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_WrongValueType_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("add", "Patient", name: "telecom", value: new FhirString("555-0100")))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_PathMatchingSeveralElements_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("add", "Patient.name", name: "text", value: new FhirString("x")))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_ToComputedValue_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("add", "Patient.name[0].family.value", name: "id", value: new FhirString("x")))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Add_ExtensionToPrimitive_AddsExtension()
    {
        var extension = new Extension("http://example.org/fhir/StructureDefinition/source", new FhirString("registration desk"));

        var result = (Patient)FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("add", "Patient.birthDate", name: "extension", value: extension)));

        Extension added = Assert.Single(result.BirthDateElement!.Extension);
        Assert.Equal("registration desk", Assert.IsType<FhirString>(added.Value).Value);
        Assert.Equal("1974-12-25", result.BirthDate);
    }

    [Fact]
    public void Insert_PathWithoutTypePrefix_InsertsIntoRootList()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(
            SamplePatient(),
            Patch(Operation("insert", "identifier", value: new Identifier("urn:x", "X-9"), index: 1)));

        Assert.Equal(["MRN-1", "X-9"], result.Identifier.Select(i => i.Value));
    }

    [Fact]
    public void Insert_SpecExampleIdentifierAtZero_InsertsFirst()
    {
        Patient patient = SamplePatient();
        var identifier = new Identifier("http://example.org", "value 3");

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("insert", "Patient.identifier", value: identifier, index: 0)));

        Assert.Equal(["value 3", "MRN-1"], result.Identifier.Select(i => i.Value));
    }

    [Fact]
    public void Insert_IntoEmptyList_AddsFirstElement()
    {
        var patient = new Patient { Id = "p1" };
        var phone = new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "555-0100");

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("insert", "Patient.telecom", value: phone, index: 0)));

        Assert.Equal("555-0100", Assert.Single(result.Telecom).Value);
    }

    [Fact]
    public void Insert_GivenNameInMiddle_KeepsOrder()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(
            SamplePatient(),
            Patch(Operation("insert", "Patient.name[0].given", value: new FhirString("Q"), index: 1)));

        Assert.Equal(["Peter", "Q", "James"], result.Name[0].Given);
    }

    [Fact]
    public void Insert_IndexPastEnd_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("insert", "Patient.identifier", value: new Identifier("s", "v"), index: 2))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Insert_NonRepeatingElement_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("insert", "Patient.birthDate", value: new Date("2000"), index: 0))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Delete_SpecExampleIdentifier_RemovesIt()
    {
        Patient patient = SamplePatient();
        patient.Identifier.Add(new Identifier("urn:other", "OTHER-2"));

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("delete", "Patient.identifier[0]")));

        Assert.Equal("OTHER-2", Assert.Single(result.Identifier).Value);
        Assert.Equal(2, patient.Identifier.Count);
    }

    [Fact]
    public void Delete_SingleElement_ClearsIt()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("delete", "Patient.birthDate")));

        Assert.Null(result.BirthDateElement);
    }

    [Fact]
    public void Delete_TelecomSelectedByFilter_RemovesOnlyThatOne()
    {
        Patient patient = SamplePatient();
        patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "peter@example.org"));

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("delete", "Patient.telecom.where(system = 'phone')")));

        Assert.Equal("peter@example.org", Assert.Single(result.Telecom).Value);
    }

    [Fact]
    public void Delete_PathMatchingNothing_LeavesResourceUnchanged()
    {
        Patient patient = SamplePatient();

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("delete", "Patient.deceased")));

        Assert.True(patient.IsExactly(result));
    }

    [Fact]
    public void Delete_PathMatchingSeveral_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("delete", "Patient.name.given"))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Delete_ComputedValue_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("delete", "Patient.name[0].family.value"))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Replace_SpecExampleBirthDate_ChangesValue()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("replace", "Patient.birthDate", value: new Date("1930-01-01"))));

        Assert.Equal("1930-01-01", result.BirthDate);
    }

    [Fact]
    public void Replace_ObservationValueQuantity_ChangesQuantity()
    {
        Observation observation = SampleObservation();

        var result = (Observation)FhirPathPatchApplier.Apply(
            observation,
            Patch(Operation("replace", "Observation.value", value: new Quantity(135m, "mm[Hg]") { Unit = "mmHg" })));

        var quantity = Assert.IsType<Quantity>(result.Value);
        Assert.Equal(135m, quantity.Value);
        Assert.Equal(120m, Assert.IsType<Quantity>(observation.Value).Value);
    }

    [Fact]
    public void Replace_ObservationValueWithOtherAllowedType_ChangesChoiceType()
    {
        var result = (Observation)FhirPathPatchApplier.Apply(
            SampleObservation(),
            Patch(Operation("replace", "Observation.value", value: new FhirString("not measured"))));

        Assert.Equal("not measured", Assert.IsType<FhirString>(result.Value).Value);
    }

    [Fact]
    public void Replace_ObservationValueWithDisallowedType_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SampleObservation(), Patch(Operation("replace", "Observation.value", value: new HumanName { Family = "X" }))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Replace_QuantityValueInsideChoice_ChangesNumberOnly()
    {
        var result = (Observation)FhirPathPatchApplier.Apply(
            SampleObservation(),
            Patch(Operation("replace", "Observation.value.ofType(Quantity).value", value: new FhirDecimal(118m))));

        var quantity = Assert.IsType<Quantity>(result.Value);
        Assert.Equal(118m, quantity.Value);
        Assert.Equal("mmHg", quantity.Unit);
    }

    [Fact]
    public void Replace_StatusWithValueCode_SetsEnum()
    {
        var result = (Observation)FhirPathPatchApplier.Apply(SampleObservation(), Patch(Operation("replace", "Observation.status", value: new Code("amended"))));

        Assert.Equal(ObservationStatus.Amended, result.Status);
    }

    [Fact]
    public void Replace_FamilyOfOfficialName_ChangesOnlyThatName()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(
            SamplePatient(),
            Patch(Operation("replace", "Patient.name.where(use = 'official').family", value: new FhirString("Chalmers-Smith"))));

        Assert.Equal("Chalmers-Smith", result.Name[0].Family);
        Assert.Null(result.Name[1].Family);
    }

    [Fact]
    public void Replace_ListItem_ReplacesInPlace()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(
            SamplePatient(),
            Patch(Operation("replace", "Patient.name[0].given[1]", value: new FhirString("Jacob"))));

        Assert.Equal(["Peter", "Jacob"], result.Name[0].Given);
    }

    [Fact]
    public void Replace_ContactFromParts_ReplacesBackboneElement()
    {
        Patient patient = SamplePatient();
        patient.Contact.Add(new Patient.ContactComponent { Name = new HumanName { Text = "old" } });
        Parameters.ParameterComponent operation = Operation("replace", "Patient.contact[0]");
        operation.Part.Add(Part(
            "value",
            Part("name", new HumanName { Text = "new" }),
            Part("telecom", new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "555-0111")),
            Part("telecom", new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "c@example.org"))));

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(operation));

        Patient.ContactComponent contact = Assert.Single(result.Contact);
        Assert.Equal("new", contact.Name?.Text);
        Assert.Equal(["555-0111", "c@example.org"], contact.Telecom.Select(t => t.Value));
    }

    [Fact]
    public void Replace_ChoiceFromParts_Unprocessable()
    {
        Parameters.ParameterComponent operation = Operation("replace", "Observation.value");
        operation.Part.Add(Part("value", Part("value", new FhirDecimal(1m))));

        FhirException ex = Assert.Throws<FhirException>(() => FhirPathPatchApplier.Apply(SampleObservation(), Patch(operation)));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Replace_PathMatchingNothing_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("replace", "Patient.deceased", value: new FhirBoolean(true)))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Replace_WholeResource_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("replace", "Patient", value: new FhirString("x")))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Move_SpecExampleIdentifier_Reorders()
    {
        Patient patient = SamplePatient();
        patient.Identifier.Add(new Identifier("urn:b", "B"));
        patient.Identifier.Add(new Identifier("urn:c", "C"));

        var result = (Patient)FhirPathPatchApplier.Apply(patient, Patch(Operation("move", "Patient.identifier", source: 0, destination: 2)));

        Assert.Equal(["B", "C", "MRN-1"], result.Identifier.Select(i => i.Value));
        Assert.Equal(["MRN-1", "B", "C"], patient.Identifier.Select(i => i.Value));
    }

    [Fact]
    public void Move_NameBackwards_Reorders()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("move", "Patient.name", source: 1, destination: 0)));

        Assert.Equal([HumanName.NameUse.Usual, HumanName.NameUse.Official], result.Name.Select(n => n.Use));
    }

    [Fact]
    public void Move_SourceOutOfBounds_Unprocessable()
    {
        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(SamplePatient(), Patch(Operation("move", "Patient.name", source: 2, destination: 0))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
    }

    [Fact]
    public void Apply_SeveralOperations_AppliesInOrder()
    {
        var result = (Patient)FhirPathPatchApplier.Apply(
            SamplePatient(),
            Patch(
                Operation("delete", "Patient.birthDate"),
                Operation("add", "Patient", name: "birthDate", value: new Date("1975-01-01")),
                Operation("insert", "Patient.telecom", value: new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "p@example.org"), index: 0),
                Operation("move", "Patient.telecom", source: 1, destination: 0)));

        Assert.Equal("1975-01-01", result.BirthDate);
        Assert.Equal(["555-0100", "p@example.org"], result.Telecom.Select(t => t.Value));
    }

    [Fact]
    public void Apply_LaterOperationFails_InputUnchanged()
    {
        Patient patient = SamplePatient();
        var original = (Patient)patient.DeepCopy();

        FhirException ex = Assert.Throws<FhirException>(
            () => FhirPathPatchApplier.Apply(
                patient,
                Patch(
                    Operation("replace", "Patient.birthDate", value: new Date("1999-09-09")),
                    Operation("delete", "Patient.telecom[0]"),
                    Operation("replace", "Patient.photo", value: new Attachment()))));

        Assert.Equal(FhirErrorKind.Unprocessable, ex.Kind);
        Assert.True(original.IsExactly(patient));
    }

    [Fact]
    public void Apply_ValueFromPatch_IsCopiedNotShared()
    {
        var phone = new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "555-0100");
        Parameters patch = Patch(Operation("add", "Patient", name: "telecom", value: phone));

        var result = (Patient)FhirPathPatchApplier.Apply(new Patient(), patch);
        phone.Value = "changed later";

        Assert.Equal("555-0100", Assert.Single(result.Telecom).Value);
    }

    [Fact]
    public void Apply_NotNamedOperation_BadRequest()
    {
        var patch = new Parameters();
        patch.Parameter.Add(new Parameters.ParameterComponent { Name = "op", Part = Operation("delete", "Patient.birthDate").Part });

        AssertBadRequest(patch);
    }

    [Fact]
    public void Apply_UnknownOperationType_BadRequest()
    {
        AssertBadRequest(Patch(Operation("upsert", "Patient.birthDate")));
    }

    [Fact]
    public void Apply_MissingType_BadRequest()
    {
        var operation = new Parameters.ParameterComponent { Name = "operation" };
        operation.Part.Add(Part("path", new FhirString("Patient.birthDate")));

        AssertBadRequest(Patch(operation));
    }

    [Fact]
    public void Apply_MissingPath_BadRequest()
    {
        var operation = new Parameters.ParameterComponent { Name = "operation" };
        operation.Part.Add(Part("type", new Code("delete")));

        AssertBadRequest(Patch(operation));
    }

    [Fact]
    public void Apply_MissingValue_BadRequest()
    {
        AssertBadRequest(Patch(Operation("replace", "Patient.birthDate")));
    }

    [Fact]
    public void Apply_AddWithoutName_BadRequest()
    {
        AssertBadRequest(Patch(Operation("add", "Patient", value: new Date("1930-01-01"))));
    }

    [Fact]
    public void Apply_InsertWithoutIndex_BadRequest()
    {
        AssertBadRequest(Patch(Operation("insert", "Patient.identifier", value: new Identifier("s", "v"))));
    }

    [Fact]
    public void Apply_NegativeIndex_BadRequest()
    {
        AssertBadRequest(Patch(Operation("insert", "Patient.identifier", value: new Identifier("s", "v"), index: -1)));
    }

    [Fact]
    public void Apply_MoveWithoutDestination_BadRequest()
    {
        AssertBadRequest(Patch(Operation("move", "Patient.identifier", source: 0)));
    }

    [Fact]
    public void Apply_InvalidFhirPath_BadRequest()
    {
        AssertBadRequest(Patch(Operation("delete", "Patient.name[0]..given")));
    }

    [Fact]
    public void Apply_UnknownFhirPathFunction_BadRequest()
    {
        AssertBadRequest(Patch(Operation("delete", "Patient.name.explode()")));
    }

    [Fact]
    public void Apply_UnknownPart_BadRequest()
    {
        Parameters.ParameterComponent operation = Operation("delete", "Patient.birthDate");
        operation.Part.Add(Part("allowMultiple", new FhirBoolean(true)));

        AssertBadRequest(Patch(operation));
    }

    [Fact]
    public void Apply_ValueWithBothValueAndParts_BadRequest()
    {
        Parameters.ParameterComponent operation = Operation("add", "Patient", name: "identifier");
        Parameters.ParameterComponent value = Part("value", Part("value", new FhirString("x")));
        value.Value = new Identifier("s", "v");
        operation.Part.Add(value);

        AssertBadRequest(Patch(operation));
    }

    [Fact]
    public void Apply_MalformedOperationAfterInapplicableOne_BadRequest()
    {
        AssertBadRequest(Patch(
            Operation("replace", "Patient.photo", value: new Attachment()),
            Operation("insert", "Patient.identifier", value: new Identifier("s", "v"))));
    }

    private static Patient SamplePatient() => new()
    {
        Id = "p1",
        Identifier = [new Identifier("urn:mrn", "MRN-1")],
        Name =
        [
            new HumanName { Use = HumanName.NameUse.Official, Family = "Chalmers", Given = ["Peter", "James"] },
            new HumanName { Use = HumanName.NameUse.Usual, Given = ["Jim"] },
        ],
        Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, "555-0100")],
        Gender = AdministrativeGender.Male,
        BirthDate = "1974-12-25",
    };

    private static Observation SampleObservation() => new()
    {
        Id = "o1",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "8480-6"),
        Value = new Quantity(120m, "mm[Hg]") { Unit = "mmHg" },
    };

    private static void AssertBadRequest(Parameters patch)
    {
        Patient patient = SamplePatient();

        FhirException ex = Assert.Throws<FhirException>(() => FhirPathPatchApplier.Apply(patient, patch));

        Assert.Equal(FhirErrorKind.BadRequest, ex.Kind);
        Assert.True(SamplePatient().IsExactly(patient));
    }

    private static Parameters Patch(params Parameters.ParameterComponent[] operations)
    {
        var patch = new Parameters();
        patch.Parameter.AddRange(operations);
        return patch;
    }

    private static Parameters.ParameterComponent Operation(
        string type,
        string path,
        string? name = null,
        DataType? value = null,
        int? index = null,
        int? source = null,
        int? destination = null)
    {
        var operation = new Parameters.ParameterComponent { Name = "operation" };
        operation.Part.Add(Part("type", new Code(type)));
        operation.Part.Add(Part("path", new FhirString(path)));
        if (name is not null)
        {
            operation.Part.Add(Part("name", new FhirString(name)));
        }

        if (value is not null)
        {
            operation.Part.Add(Part("value", value));
        }

        if (index is not null)
        {
            operation.Part.Add(Part("index", new Integer(index)));
        }

        if (source is not null)
        {
            operation.Part.Add(Part("source", new Integer(source)));
        }

        if (destination is not null)
        {
            operation.Part.Add(Part("destination", new Integer(destination)));
        }

        return operation;
    }

    private static Parameters.ParameterComponent Part(string name, DataType value) => new() { Name = name, Value = value };

    private static Parameters.ParameterComponent Part(string name, params Parameters.ParameterComponent[] parts)
    {
        var part = new Parameters.ParameterComponent { Name = name };
        part.Part.AddRange(parts);
        return part;
    }
}
