using Bridge.Bench;

if (args is ["dkim", .. var dkimArgs])
{
    try
    {
        return await DkimCost.RunAsync(dkimArgs);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(DkimCost.Usage);
        return 2;
    }
}

if (args is ["--index-cost", .. var rest])
{
    var messages = rest is ["--messages", var count] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 2000;
    Console.WriteLine(await IndexCost.RunAsync(messages));
    return 0;
}

if (args.Length > 0 && args[0] == "telemetry-overhead")
{
    return await TelemetryOverhead.RunAsync(args[1..]);
}

if (args.FirstOrDefault() == CallbackBench.Command)
{
    try
    {
        return await CallbackBench.RunAsync(args[1..]);
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine(CallbackBench.Usage);
        return 2;
    }
}

if (args.FirstOrDefault() == StageBenchmarks.Command)
{
    return StageBenchmarks.Run(args[1..]);
}

if (args.FirstOrDefault() == StageCost.Command)
{
    return await StageCost.RunAsync(args[1..]);
}

if (args.FirstOrDefault() == UploadMemory.Command)
{
    return await UploadMemory.RunAsync(args[1..]);
}

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
