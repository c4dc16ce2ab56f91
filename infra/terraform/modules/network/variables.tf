variable "name" {
  type        = string
  description = "Name prefix for the VPC and its subnets."
}

variable "cidr" {
  type        = string
  description = "IPv4 CIDR block of the VPC; a /16 leaves room for three /24 tiers per zone."

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 16
    error_message = "cidr must be a valid IPv4 CIDR block of size /16 or larger."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability zones to spread the subnets over (exactly three)."

  validation {
    condition     = length(var.azs) == 3
    error_message = "azs must list exactly three availability zones."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "Use one shared NAT gateway instead of one per zone (cheaper, not zone-redundant)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
