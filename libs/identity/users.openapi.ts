import { ApiProperty } from '@nestjs/swagger';

/** Response shapes of the user routes, for the OpenAPI document. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ enum: ['admin', 'viewer'] })
  role: 'admin' | 'viewer';

  @ApiProperty({ format: 'uuid' })
  tenantId: string;
}

export class MeResponse extends UserResponse {
  @ApiProperty()
  tenantName: string;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];
}
