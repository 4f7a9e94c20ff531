using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace Terminal.Tests.NanoFramework
{
    /// <summary>What a nanoFramework project (.nfproj + packages.config) compiles and references.</summary>
    internal sealed class NfProject
    {
        private NfProject(string path, string assemblyName, IReadOnlyList<string> sources,
            IReadOnlyList<string> projectReferences, IReadOnlyList<string> references, IReadOnlyList<string> packages)
        {
            Path = path;
            AssemblyName = assemblyName;
            Sources = sources;
            ProjectReferences = projectReferences;
            References = references;
            Packages = packages;
        }

        /// <summary>Full path of the .nfproj file.</summary>
        public string Path { get; }

        public string AssemblyName { get; }

        /// <summary>Full paths of the Compile items, in project order.</summary>
        public IReadOnlyList<string> Sources { get; }

        /// <summary>Full paths of the referenced .nfproj files.</summary>
        public IReadOnlyList<string> ProjectReferences { get; }

        /// <summary>Assembly names of the Reference items (mscorlib, System.Device.Gpio, ...).</summary>
        public IReadOnlyList<string> References { get; }

        /// <summary>Package ids named in packages.config beside the project.</summary>
        public IReadOnlyList<string> Packages { get; }

        public static NfProject Load(string path)
        {
            path = System.IO.Path.GetFullPath(path);
            string dir = System.IO.Path.GetDirectoryName(path)!;
            XDocument doc = XDocument.Load(path);
            XNamespace ns = doc.Root!.Name.Namespace;

            string ItemPath(XElement e) => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, ((string)e.Attribute("Include")!).Replace('\\', '/')));

            List<string> sources = doc.Descendants(ns + "Compile").Select(ItemPath).ToList();
            List<string> projects = doc.Descendants(ns + "ProjectReference").Select(ItemPath).ToList();
            List<string> references = doc.Descendants(ns + "Reference").Select(e => (string)e.Attribute("Include")!).ToList();
            string assemblyName = doc.Descendants(ns + "AssemblyName").Select(e => e.Value).FirstOrDefault()
                ?? System.IO.Path.GetFileNameWithoutExtension(path);

            List<string> packages = new List<string>();
            string packagesConfig = System.IO.Path.Combine(dir, "packages.config");
            if (File.Exists(packagesConfig))
            {
                packages = XDocument.Load(packagesConfig).Descendants("package").Select(e => (string)e.Attribute("id")!).ToList();
            }
            return new NfProject(path, assemblyName, sources, projects, references, packages);
        }

        /// <summary>
        /// Full paths (with a trailing separator) of the folders the sibling .csproj removes from its glob
        /// (`Compile Remove="Esp32\**"`): nanoFramework-only code such as Terminal/Esp32.
        /// </summary>
        public IReadOnlyList<string> NanoFrameworkOnlyFolders()
        {
            string dir = System.IO.Path.GetDirectoryName(Path)!;
            string? csproj = Directory.EnumerateFiles(dir, "*.csproj").FirstOrDefault();
            if (csproj == null)
            {
                return new List<string>();
            }
            return XDocument.Load(csproj).Descendants("Compile")
                .Select(e => (string?)e.Attribute("Remove"))
                .Where(r => r != null && r.EndsWith("**", StringComparison.Ordinal))
                .Select(r => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, r!.Replace('\\', '/').TrimEnd('*'))))
                .ToList();
        }

        /// <summary>The projects this one depends on, then this one: the order to compile them in.</summary>
        public static IReadOnlyList<NfProject> InBuildOrder(NfProject project)
        {
            List<NfProject> order = new List<NfProject>();
            Visit(project, order, new HashSet<string>(StringComparer.Ordinal));
            return order;
        }

        private static void Visit(NfProject project, List<NfProject> order, HashSet<string> seen)
        {
            if (!seen.Add(project.Path))
            {
                return;
            }
            foreach (string reference in project.ProjectReferences)
            {
                Visit(Load(reference), order, seen);
            }
            order.Add(project);
        }
    }
}
