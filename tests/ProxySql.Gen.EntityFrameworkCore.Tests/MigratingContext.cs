using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>A context with one hand-written migration (no design-time tooling in the tests).</summary>
internal sealed class MigratingContext(DbContextOptions<MigratingContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}

[DbContext(typeof(MigratingContext))]
[Migration("20260101000000_CreateOrders")]
internal sealed class CreateOrders : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "Orders",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false).Annotation("MySql:ValueGenerationStrategy", Microsoft.EntityFrameworkCore.Metadata.MySqlValueGenerationStrategy.IdentityColumn),
                Customer = table.Column<string>(maxLength: 64, nullable: false),
                Total = table.Column<decimal>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Orders", x => x.Id));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Orders");
}
