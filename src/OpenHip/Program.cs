using OpenHip.Commands;

return await OpenHipCli.Build().Parse(args).InvokeAsync(OpenHipCli.Invocation).ConfigureAwait(false);
