global using Task = System.Threading.Tasks.Task;
