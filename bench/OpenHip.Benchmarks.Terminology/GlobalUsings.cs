// Firely's model has a Task resource; every Task here is the TPL one.
global using Task = System.Threading.Tasks.Task;
