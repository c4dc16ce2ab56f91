# The objects `kubectl kustomize k8s/cluster` renders, read with Terraform's own functions so
# that envs/addons applies exactly what the repository's YAML says (the deploy role in each
# app namespace) without kustomize. It understands the subset k8s/cluster uses:
#   k8s/cluster/kustomization.yaml   resources: one folder per namespace
#   <namespace folder>               namespace, resources: component folders
#   <component folder>               labels (pairs), resources: YAML files, one object each
# and refuses anything else (patches, generators, nested folders), so it can never apply
# something other than what kustomize renders. infra/test/cluster-manifests.test.ts compares
# its output with kubectl kustomize.
locals {
  supported = {
    top       = ["apiVersion", "kind", "resources"]
    namespace = ["apiVersion", "kind", "namespace", "resources"]
    component = ["apiVersion", "kind", "labels", "resources"]
  }

  top = yamldecode(file("${var.dir}/kustomization.yaml"))

  namespace_folders = {
    for folder in local.top.resources :
    folder => yamldecode(file("${var.dir}/${folder}/kustomization.yaml"))
  }

  components = merge([
    for folder, k in local.namespace_folders : {
      for component in k.resources :
      "${folder}/${component}" => {
        namespace = k.namespace
        path      = "${var.dir}/${folder}/${component}"
        # As a person names it: "deployer", not "prod/../deployer".
        name = replace("${folder}/${component}", "/^[^/]+/\\.\\.//", "")
        spec = yamldecode(file("${var.dir}/${folder}/${component}/kustomization.yaml"))
      }
    }
  ]...)

  # Every label pair a component sets, merged (kustomize's labels without selectors).
  component_labels = {
    for key, c in local.components :
    key => merge([for l in try(c.spec.labels, []) : l.pairs]...)
  }

  objects = merge([
    for key, c in local.components : {
      for file in c.spec.resources :
      "${c.namespace}/${yamldecode(file("${c.path}/${file}")).kind}/${yamldecode(file("${c.path}/${file}")).metadata.name}" => merge(
        yamldecode(file("${c.path}/${file}")),
        {
          metadata = merge(
            yamldecode(file("${c.path}/${file}")).metadata,
            {
              namespace = c.namespace
              labels    = merge(try(yamldecode(file("${c.path}/${file}")).metadata.labels, {}), local.component_labels[key])
            },
          )
        },
      )
    }
  ]...)

  unsupported = distinct(concat(
    [for k in keys(local.top) : "kustomization.yaml: ${k}" if !contains(local.supported.top, k)],
    flatten([
      for folder, k in local.namespace_folders :
      [for key in keys(k) : "${folder}/kustomization.yaml: ${key}" if !contains(local.supported.namespace, key)]
    ]),
    flatten([
      for c in values(local.components) :
      [for key in keys(c.spec) : "${c.name}/kustomization.yaml: ${key}" if !contains(local.supported.component, key)]
    ]),
    flatten([
      for c in values(local.components) :
      [for l in try(c.spec.labels, []) : "${c.name}/kustomization.yaml: labels other than plain pairs" if keys(l) != ["pairs"]]
    ]),
  ))
}
