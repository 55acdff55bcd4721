// Firely's model has a Task resource; every Task in these tests is the TPL one.
global using Task = System.Threading.Tasks.Task;
