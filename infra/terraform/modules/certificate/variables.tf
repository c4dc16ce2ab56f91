variable "host_names" {
  type        = map(string)
  description = "Host name of each certificate, by a short key such as app or webhook."

  validation {
    condition     = length(var.host_names) > 0 && alltrue([for h in values(var.host_names) : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", h))])
    error_message = "host_names must be fully qualified lowercase DNS names such as shop.example.com."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone that holds the host names; null when DNS is elsewhere (add the validation records by hand)."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every certificate."
  default     = {}
}
