using Bridge.Testing;

namespace Bridge.Functions.Tests;

/// <summary>The runtime settings the Functions worker is built with, as the runtime reads them.</summary>
public sealed class HostRuntimeConfigTests
{
    [Fact]
    public void Objects_under_1_MiB_stay_off_the_large_object_heap() =>
        Assert.Equal(1024 * 1024, HostRuntimeConfig.Property("Bridge.Functions", "System.GC.LOHThreshold").GetInt32());

    [Fact]
    public void Idle_thread_pool_workers_block_instead_of_spinning() =>
        Assert.Equal(0, HostRuntimeConfig.Property("Bridge.Functions", "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
}
