using System.Collections;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// Applies a FHIR R4 FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html) to a deep copy of a
/// resource. Paths are evaluated with Firely's FHIRPath over <see cref="PocoNode"/>s, which know their
/// parent, name and list index, so each match is edited in place on the copy's POCOs.
/// </summary>
/// <remarks>
/// All-or-nothing: the input is never modified, and any failing operation throws. The caller checks
/// that <c>id</c> is unchanged and validates the result like any other write.
/// </remarks>
internal static class FhirPathPatchApplier
{
    public static Resource Apply(Resource resource, Parameters patch)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(patch);

        IReadOnlyList<FhirPathPatchOperation> operations = FhirPathPatchParser.Parse(patch);
        var result = (Resource)resource.DeepCopy();
        foreach (FhirPathPatchOperation operation in operations)
        {
            ApplyOne(result, operation);
        }

        return result;
    }

    private static void ApplyOne(Resource resource, FhirPathPatchOperation operation)
    {
        switch (operation.Type)
        {
            case FhirPathPatchOperationType.Add:
                Add(resource, operation);
                break;
            case FhirPathPatchOperationType.Insert:
                Insert(resource, operation);
                break;
            case FhirPathPatchOperationType.Delete:
                Delete(resource, operation);
                break;
            case FhirPathPatchOperationType.Replace:
                Replace(resource, operation);
                break;
            case FhirPathPatchOperationType.Move:
                Move(resource, operation);
                break;
            default:
                throw new InvalidOperationException($"Unhandled FHIRPath Patch operation {operation.Type}.");
        }
    }

    private static void Add(Resource resource, FhirPathPatchOperation operation)
    {
        Base container = ContainerOf(resource, Single(Select(resource, operation.Target, operation), operation), operation);
        ClassMapping mapping = PocoProperties.MappingOf(container.GetType());
        PropertyMapping property = mapping.FindMappedElementByName(operation.Name!)
            ?? throw FhirException.Unprocessable($"Type {mapping.Name} has no element '{operation.Name}'.", operation.Path);
        Base value = FhirPathPatchValueBuilder.Build(operation.Value!, property, operation.Path);

        if (property.IsCollection)
        {
            PocoProperties.List(container, property).Add(value);
        }
        else if (PocoProperties.Get(container, property) is not null)
        {
            throw FhirException.Unprocessable($"Element '{operation.Name}' already exists at '{operation.Path}'; use replace.", operation.Path);
        }
        else
        {
            PocoProperties.Set(container, property, value);
        }
    }

    private static void Insert(Resource resource, FhirPathPatchOperation operation)
    {
        (IList list, PropertyMapping property) = LocateList(resource, operation);
        int index = operation.Index!.Value;
        if (index > list.Count)
        {
            throw FhirException.Unprocessable($"Index {index} is beyond the end of '{operation.Path}' ({list.Count} items).", operation.Path);
        }

        list.Insert(index, FhirPathPatchValueBuilder.Build(operation.Value!, property, operation.Path));
    }

    private static void Delete(Resource resource, FhirPathPatchOperation operation)
    {
        List<PocoNode> matches = Select(resource, operation.Target, operation);
        if (matches.Count == 0)
        {
            // The spec makes deleting something already absent a no-op, so deletes are idempotent.
            return;
        }

        ElementLocation location = Locate(Single(matches, operation), operation);
        if (location.Index is int index)
        {
            PocoProperties.List(location.Parent, location.Property).RemoveAt(index);
        }
        else
        {
            PocoProperties.Set(location.Parent, location.Property, null);
        }
    }

    private static void Replace(Resource resource, FhirPathPatchOperation operation)
    {
        ElementLocation location = Locate(Single(Select(resource, operation.Target, operation), operation), operation);
        Base value = FhirPathPatchValueBuilder.Build(operation.Value!, location.Property, operation.Path);
        if (location.Index is int index)
        {
            PocoProperties.List(location.Parent, location.Property)[index] = value;
        }
        else
        {
            PocoProperties.Set(location.Parent, location.Property, value);
        }
    }

    private static void Move(Resource resource, FhirPathPatchOperation operation)
    {
        (IList list, _) = LocateList(resource, operation);
        int source = operation.Source!.Value;
        int destination = operation.Destination!.Value;
        if (source >= list.Count || destination >= list.Count)
        {
            throw FhirException.Unprocessable(
                $"Move from {source} to {destination} is out of bounds for '{operation.Path}' ({list.Count} items).", operation.Path);
        }

        object? item = list[source];
        list.RemoveAt(source);
        list.Insert(destination, item);
    }

    /// <summary>The list an insert or move works on: the named property of the one container element.</summary>
    private static (IList List, PropertyMapping Property) LocateList(Resource resource, FhirPathPatchOperation operation)
    {
        Base container;
        PropertyMapping? property;
        if (operation.Container is not null)
        {
            container = ContainerOf(resource, Single(Select(resource, operation.Container, operation), operation), operation);
            property = PocoProperties.MappingOf(container.GetType()).FindMappedElementByName(operation.ListName!);
        }
        else
        {
            // A path like "Patient.name.where(use = 'old')" has no trailing child name; use the list its matches live in.
            List<ElementLocation> locations = [.. Select(resource, operation.Target, operation).Select(node => Locate(node, operation))];
            if (locations.Count == 0
                || locations.Any(l => !ReferenceEquals(l.Parent, locations[0].Parent) || l.Property != locations[0].Property))
            {
                throw FhirException.Unprocessable($"Path '{operation.Path}' must resolve to exactly one list.", operation.Path);
            }

            container = locations[0].Parent;
            property = locations[0].Property;
        }

        if (property is not { IsCollection: true })
        {
            throw FhirException.Unprocessable($"Path '{operation.Path}' does not name a repeating element.", operation.Path);
        }

        return (PocoProperties.List(container, property), property);
    }

    private static List<PocoNode> Select(Resource resource, CompiledExpression expression, FhirPathPatchOperation operation)
    {
        PocoNode root = PocoNodeOrList.Root(resource, resource.TypeName);
        var context = new FhirEvaluationContext { Resource = root, RootResource = root };
        try
        {
            // Materialise before editing: the evaluation is lazy and would otherwise walk a changing tree.
            return [.. expression(root, context)];
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or InvalidCastException or FormatException)
        {
            // Runtime FHIRPath failures (single() on many, bad casts) depend on the resource's content.
            throw FhirException.Unprocessable($"Evaluating '{operation.Path}' failed: {ex.Message}", operation.Path);
        }
    }

    private static PocoNode Single(List<PocoNode> matches, FhirPathPatchOperation operation) =>
        matches.Count == 1
            ? matches[0]
            : throw FhirException.Unprocessable(
                $"Path '{operation.Path}' must match exactly one element but matched {matches.Count}.", operation.Path);

    /// <summary>
    /// The element new content goes into: the resource itself or an element of it. Values FHIRPath
    /// computed (such as a primitive's <c>.value</c>) are refused, as edits to them would be lost.
    /// </summary>
    private static Base ContainerOf(Resource resource, PocoNode node, FhirPathPatchOperation operation)
    {
        if (!ReferenceEquals(node.Poco, resource))
        {
            Locate(node, operation);
        }

        return node.Poco;
    }

    /// <summary>Finds the property slot holding <paramref name="node"/>, refusing values FHIRPath computed rather than found.</summary>
    private static ElementLocation Locate(PocoNode node, FhirPathPatchOperation operation)
    {
        if (node.Parent?.Poco is not Base parent || node.Name is null
            || PocoProperties.MappingOf(parent.GetType()).FindMappedElementByName(node.Name) is not PropertyMapping property)
        {
            throw FhirException.Unprocessable($"Path '{operation.Path}' does not point at an element that can be changed.", operation.Path);
        }

        object? current = PocoProperties.Get(parent, property);
        if (property.IsCollection && current is IList list)
        {
            int index = node.Index is int i && i < list.Count && ReferenceEquals(list[i], node.Poco) ? i : IndexOfReference(list, node.Poco);
            if (index >= 0)
            {
                return new ElementLocation(parent, property, index);
            }
        }
        else if (ReferenceEquals(current, node.Poco))
        {
            return new ElementLocation(parent, property, null);
        }

        throw FhirException.Unprocessable($"Path '{operation.Path}' does not point at an element that can be changed.", operation.Path);
    }

    private static int IndexOfReference(IList list, object item)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }
}
