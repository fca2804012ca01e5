using System.Text;
using Bridge.Cli;

Console.OutputEncoding = Encoding.UTF8;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the diagnosis cleanly; a second one ends the process.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

return await BridgeCli.RunAsync(args, CliContext.FromProcess(), cancel.Token);
