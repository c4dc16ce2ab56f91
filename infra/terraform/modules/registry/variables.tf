variable "repositories" {
  type        = list(string)
  description = "Repository names, one per image."

  validation {
    condition     = alltrue([for r in var.repositories : can(regex("^[a-z][a-z0-9-]+$", r))])
    error_message = "repository names must be lowercase letters, digits and hyphens."
  }
}

variable "keep_images" {
  type        = number
  description = "Number of images kept per repository; older ones expire."
  default     = 100

  validation {
    condition     = var.keep_images >= 10
    error_message = "keep_images must be at least 10 so recent releases stay available for rollback."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every repository."
  default     = {}
}
