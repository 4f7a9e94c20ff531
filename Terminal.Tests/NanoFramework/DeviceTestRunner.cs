using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using nanoFramework.TestFramework;
using Xunit;

namespace Terminal.Tests.NanoFramework
{
    /// <summary>
    /// Runs the device test suite (Terminal.Tests/Device, written against nanoFramework.TestFramework)
    /// under xunit on the desktop: one xunit case per [TestMethod] and [DataRow], with the class's
    /// [Setup] before and [Cleanup] after each case. On the device the same classes run under
    /// nanoFramework's own runner (Terminal.Tests/Device/Terminal.Tests.Device.nfproj).
    /// </summary>
    public class DeviceTestRunner
    {
        private const string DeviceNamespace = "Terminal.Tests.Device";

        /// <summary>Every device test case: "Class.Method" and the index of its DataRow (-1 when none).</summary>
        public static IEnumerable<object[]> Cases()
        {
            foreach (Type type in DeviceTestClasses())
            {
                foreach (MethodInfo method in TestMethods(type))
                {
                    DataRowAttribute[] rows = method.GetCustomAttributes<DataRowAttribute>().ToArray();
                    if (rows.Length == 0)
                    {
                        yield return new object[] { type.Name + "." + method.Name, -1 };
                    }
                    for (int i = 0; i < rows.Length; i++)
                    {
                        yield return new object[] { type.Name + "." + method.Name, i };
                    }
                }
            }
        }

        internal static IEnumerable<Type> DeviceTestClasses() =>
            typeof(DeviceTestRunner).Assembly.GetTypes()
                .Where(t => t.Namespace != null && t.Namespace.StartsWith(DeviceNamespace, StringComparison.Ordinal))
                .Where(t => t.GetCustomAttribute<TestClassAttribute>() != null)
                .OrderBy(t => t.FullName, StringComparer.Ordinal);

        private static IEnumerable<MethodInfo> TestMethods(Type type) =>
            type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.GetCustomAttribute<TestMethodAttribute>() != null)
                .OrderBy(m => m.Name, StringComparer.Ordinal);

        /// <summary>Runs one device test case.</summary>
        [Theory]
        [MemberData(nameof(Cases))]
        public void Device(string test, int dataRow)
        {
            int dot = test.LastIndexOf('.');
            Type type = DeviceTestClasses().Single(t => t.Name == test.Substring(0, dot));
            MethodInfo method = TestMethods(type).Single(m => m.Name == test.Substring(dot + 1));
            object? instance = method.IsStatic && type.IsAbstract ? null : Activator.CreateInstance(type);
            object?[]? arguments = dataRow < 0 ? null : method.GetCustomAttributes<DataRowAttribute>().ElementAt(dataRow).MethodParameters;

            Invoke(type, instance, typeof(SetupAttribute));
            try
            {
                method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is SkipTestException)
            {
                return;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
            finally
            {
                Invoke(type, instance, typeof(CleanupAttribute));
            }
        }

        private static void Invoke(Type type, object? instance, Type attribute)
        {
            foreach (MethodInfo m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                         .Where(m => m.GetCustomAttribute(attribute) != null))
            {
                m.Invoke(m.IsStatic ? null : instance, null);
            }
        }
    }
}
