namespace Pipeline.Server.Dashboard;

public static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder app) { }
}
