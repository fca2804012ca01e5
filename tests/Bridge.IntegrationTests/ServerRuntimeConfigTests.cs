using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>The runtime settings Bridge.Server is built with, as the runtime reads them.</summary>
public sealed class ServerRuntimeConfigTests
{
    [Fact]
    public void Objects_under_1_MiB_stay_off_the_large_object_heap() =>
        Assert.Equal(1024 * 1024, HostRuntimeConfig.Property("Bridge.Server", "System.GC.LOHThreshold").GetInt32());

    [Fact]
    public void Idle_thread_pool_workers_block_instead_of_spinning() =>
        Assert.Equal(0, HostRuntimeConfig.Property("Bridge.Server", "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
}
