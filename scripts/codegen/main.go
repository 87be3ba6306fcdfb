// Command codegen writes the aep provider's SDKs from its schema with the Pulumi CLI's own code generators
// (pkg/codegen/{nodejs,go,python}, pinned to the CLI's version in go.mod).
//
//	go run . -schema schema.json -version 0.1.0 -out build/sdk nodejs go python
//
// Each language goes to <out>/<language>, replacing what was there. Language options the schema leaves out
// get the defaults below, so the schema stays the one source of names and types.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-aep codegen"

// GoModule is the Go SDK's import path; the generated go.mod names it.
const GoModule = "github.com/pulumi-aep/pulumi-aep/sdk/go/aep"

// languageDefaults: respectSchemaVersion makes each SDK ask the engine for the plugin version in the schema
// (without it the Python and Node.js SDKs ask for v0.0.0 or their own package version).
var languageDefaults = map[string]map[string]any{
	"python": {"respectSchemaVersion": true},
	"nodejs": {"respectSchemaVersion": true},
	"go":     {"importBasePath": GoModule, "generateResourceContainerTypes": true, "respectSchemaVersion": true},
}

// noReferences serves the built-in "pulumi" package only: the aep schema refers to no other package, so
// needing one is an error rather than a plugin download.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, version *semver.Version) (*schema.Package, error) {
	return noReferences{}.LoadPackageV2(context.Background(), &schema.PackageDescriptor{Name: pkg, Version: version})
}

func (noReferences) LoadPackageV2(ctx context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	ref, err := noReferences{}.LoadPackageReferenceV2(ctx, d)
	if err != nil {
		return nil, err
	}
	return ref.Definition()
}

func (noReferences) LoadPackageReference(pkg string, version *semver.Version) (schema.PackageReference, error) {
	return noReferences{}.LoadPackageReferenceV2(
		context.Background(), &schema.PackageDescriptor{Name: pkg, Version: version})
}

func (noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	if d.Name == "pulumi" {
		return schema.DefaultPulumiPackage.Reference(), nil
	}
	return nil, fmt.Errorf("the schema refers to package %q; codegen serves only self-contained schemas", d.Name)
}

func loadSpec(path, version string) (schema.PackageSpec, error) {
	var spec schema.PackageSpec
	raw, err := os.ReadFile(path)
	if err != nil {
		return spec, err
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		return spec, fmt.Errorf("%s is not a Pulumi package schema: %w", path, err)
	}
	if spec.Version == "" {
		spec.Version = version
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	for lang, defaults := range languageDefaults {
		merged := map[string]any{}
		for k, v := range defaults {
			merged[k] = v
		}
		if own, ok := spec.Language[lang]; ok {
			if err := json.Unmarshal(own, &merged); err != nil {
				return spec, fmt.Errorf("language.%s in %s: %w", lang, path, err)
			}
		}
		raw, err := json.Marshal(merged)
		if err != nil {
			return spec, err
		}
		spec.Language[lang] = schema.RawMessage(raw)
	}
	return spec, nil
}

func generate(lang string, pkg *schema.Package) (map[string][]byte, error) {
	switch lang {
	case "python":
		return python.GeneratePackage(tool, pkg, nil, noReferences{})
	case "nodejs":
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
	case "go":
		return gogen.GeneratePackage(tool, pkg, nil)
	default:
		return nil, fmt.Errorf("unknown language %q (want nodejs, go or python)", lang)
	}
}

func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // generated sources
			return err
		}
	}
	return nil
}

func run() error {
	schemaPath := flag.String("schema", "", "the provider's schema JSON (`pulumi package get-schema aep`)")
	version := flag.String("version", "", "the SDK version, when the schema has none")
	out := flag.String("out", "build/sdk", "output root: one directory per language")
	flag.Parse()
	if *schemaPath == "" || flag.NArg() == 0 {
		return errors.New("usage: codegen -schema FILE [-version V] [-out DIR] LANGUAGE...")
	}
	spec, err := loadSpec(*schemaPath, *version)
	if err != nil {
		return err
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("the schema does not validate: %v", diags)
	}
	for _, lang := range flag.Args() {
		files, err := generate(lang, pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", lang, err)
		}
		if err := write(filepath.Join(*out, lang), files); err != nil {
			return fmt.Errorf("writing the %s SDK: %w", lang, err)
		}
		fmt.Fprintf(os.Stderr, "codegen: %s SDK in %s (%d files)\n", lang, filepath.Join(*out, lang), len(files))
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "codegen: error:", err)
		os.Exit(1)
	}
}
