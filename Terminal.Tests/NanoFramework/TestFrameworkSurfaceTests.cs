using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Terminal.Tests.NanoFramework
{
    /// <summary>
    /// The desktop stand-in for nanoFramework.TestFramework offers nothing the device framework lacks,
    /// so a device test that passes here also compiles for the device.
    /// </summary>
    public class TestFrameworkSurfaceTests
    {
        [Fact]
        public void StandIn_PublicSurface_IsInTheDeviceFrameworkApiList()
        {
            HashSet<string> list = new HashSet<string>(
                File.ReadLines(Path.Combine(AppContext.BaseDirectory, "NanoFramework", "Api", "nf-nanoFramework.TestFramework-api.signatures.txt"))
                    .Where(l => l.Length > 2 && l[1] == ':')
                    .Select(l => l.Split(' ')[0]), StringComparer.Ordinal);

            List<string> extra = new List<string>();
            foreach (Type type in typeof(global::nanoFramework.TestFramework.Assert).Assembly.GetTypes()
                         .Where(t => t.IsPublic && (t.Namespace == "nanoFramework.TestFramework" || t.Namespace == "TestFrameworkShared")))
            {
                Check("T:" + type.FullName, list, extra);
                foreach (MethodBase m in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                             .Cast<MethodBase>().Concat(type.GetConstructors()))
                {
                    string name = m.IsConstructor ? "#ctor" : m.Name;
                    ParameterInfo[] parameters = m.GetParameters();
                    string args = parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => p.ParameterType.FullName)) + ")";
                    Check("M:" + type.FullName + "." + name + args, list, extra);
                }
            }
            Assert.True(extra.Count == 0, "the stand-in offers members the device framework lacks:\n" + string.Join("\n", extra));
        }

        private static void Check(string id, HashSet<string> list, List<string> extra)
        {
            if (!list.Contains(id))
            {
                extra.Add(id);
            }
        }
    }
}
