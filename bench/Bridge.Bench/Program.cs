using Bridge.Bench;

if (args.FirstOrDefault() == BatchBench.Command)
{
    return await BatchBench.RunAsync(args[1..]);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var report = await new BenchRun(options).RunAsync();
Console.WriteLine(report);
return report.Rows.Any(r => r.Failures > 0) ? 1 : 0;
