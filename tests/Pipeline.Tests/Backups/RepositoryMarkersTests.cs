using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class RepositoryMarkersTests
{
    [Fact]
    public async Task A_marker_kept_fresh_is_written_again_until_the_refresh_is_disposed()
    {
        var store = new MemoryObjectStore();
        var markers = new RepositoryMarkers(store);
        var key = await markers.PlaceAsync(RepositoryLayout.PruneMarker("long"), default);

        await using (markers.KeepFresh(key, TimeSpan.FromMilliseconds(20)))
            while (store.Puts.Count(k => k == key) < 3) await Task.Delay(10);
        var afterDispose = store.Puts.Count;
        await Task.Delay(100);

        store.Puts.Count.Should().Be(afterDispose);
    }
}
