using ProxySql;

namespace Shop.Hosting
{
    public static partial class Infrastructure
    {
        internal partial record struct Wiring
        {
            [ProxySqlDatabases("ProxySql")]
            public sealed partial class Databases
            {
                public partial ProxySqlPeer Edge1 { get; }

                public partial ProxySqlPeer @event { get; }
            }
        }
    }
}
