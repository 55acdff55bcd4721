// Hl7.Fhir.Model has a Task resource; the TPL type is the one code here means.
global using Task = System.Threading.Tasks.Task;
