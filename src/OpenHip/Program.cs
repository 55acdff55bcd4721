using OpenHip.Commands;

return await OpenHipCli.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
